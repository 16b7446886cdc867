import { DEFAULT_PARAMETERS, ParameterOverrideError, REGULATION_EFFECTIVE_FROM, withOverrides } from '../../rules/parameters';
import { CATEGORIES_BY_CHANNEL, CHANNELS, URGENCIES } from '../../rules/types';

describe('parameters (第三十三条 effective date, every parameter cites its article)', () => {
  it.each(Object.entries(DEFAULT_PARAMETERS))('第三十三条: %s has a value, unit, article, effective date and description', (_, p) => {
    expect(p.article).toMatch(/第[一二三四五六七八九十]+条/);
    expect(p.effectiveFrom).toBe(REGULATION_EFFECTIVE_FROM);
    expect(p.description.length).toBeGreaterThan(4);
    expect(p.value).toBeDefined();
  });

  it('第十一条(一)–(三): the SLA table covers every category of every channel and every urgency label', () => {
    for (const channel of CHANNELS)
      for (const category of CATEGORIES_BY_CHANNEL[channel])
        expect((DEFAULT_PARAMETERS.handlingLimits.value[channel] as Record<string, unknown>)[category]).toBeDefined();
    for (const u of URGENCIES) expect(DEFAULT_PARAMETERS.urgencyLimits.value[u]).toBeDefined();
  });

  it.each([
    ['第八条(一)', { acceptanceHours: 4 }, (p: typeof DEFAULT_PARAMETERS) => p.acceptanceHours.value, 4],
    ['第八条(三)1', { returnWindowHours: 48 }, (p: typeof DEFAULT_PARAMETERS) => p.returnWindowHours.value, 48],
    ['第十一条', { reminderFraction: 0.5 }, (p: typeof DEFAULT_PARAMETERS) => p.reminderFraction.value, 0.5],
    ['第十一条(三)', { handlingLimits: { zmlj: { consultation: { amount: 3 } } } }, (p: typeof DEFAULT_PARAMETERS) => p.handlingLimits.value.zmlj.consultation.amount, 3],
    ['第十一条(一)', { urgencyLimits: { critical: { amount: 2 } } }, (p: typeof DEFAULT_PARAMETERS) => p.urgencyLimits.value.critical, { amount: 2, unit: 'hours' }],
    ['第三十一条(一)', { knowledgeBaseReportLastDay: 7 }, (p: typeof DEFAULT_PARAMETERS) => p.knowledgeBaseReportLastDay.value, 7],
    ['第十四条', { extensionMaxWorkingDays: 15 }, (p: typeof DEFAULT_PARAMETERS) => p.extensionMaxWorkingDays.value, 15],
    ['第十一条(四)', { dispatchClockSkewMinutes: 0 }, (p: typeof DEFAULT_PARAMETERS) => p.dispatchClockSkewMinutes.value, 0],
  ])('%s: an override replaces the value and keeps the metadata', (_, overrides, read, expected) => {
    const params = withOverrides(overrides);
    expect(read(params)).toEqual(expected);
  });

  it('第十一条: a table override changes one cell and keeps the others', () => {
    const params = withOverrides({ handlingLimits: { zmlj: { consultation: { amount: 3 } } } });
    expect(params.handlingLimits.value.zmlj.help).toEqual({ amount: 5, unit: 'working-days' });
    expect(params.handlingLimits.value['12345'].consultation).toEqual({ amount: 3, unit: 'working-days' });
    expect(params.handlingLimits.article).toBe('第十一条(一)–(三)');
    expect(DEFAULT_PARAMETERS.handlingLimits.value.zmlj.consultation.amount).toBe(2);
  });

  it.each([
    ['an unknown parameter', { acceptanceHour: 3 }, 'acceptanceHour'],
    ['a negative number of hours', { acceptanceHours: -1 }, 'acceptanceHours'],
    ['a string for a number', { returnWindowHours: '24' }, 'returnWindowHours'],
    ['a fraction of 1 or more', { reminderFraction: 1 }, 'reminderFraction'],
    ['an unknown channel in the SLA table', { handlingLimits: { '12346': {} } }, 'handlingLimits'],
    ['a category of another channel', { handlingLimits: { zmlj: { report: { amount: 5 } } } }, 'handlingLimits.zmlj'],
    ['an unknown SLA unit', { urgencyLimits: { urgent: { unit: 'weeks' } } }, 'urgencyLimits.urgent.unit'],
    ['a zero SLA amount', { handlingLimits: { '12345': { complaint: { amount: 0 } } } }, 'handlingLimits.12345.complaint.amount'],
    ['a sampling rate above 1', { revisitSampleRateUnit: 1.5 }, 'revisitSampleRateUnit'],
    ['a near-deadline point before the reminder', { supervisionNearDeadlineFraction: 0.5 }, 'supervisionNearDeadlineFraction'],
    ['a report window that ends before it starts', { trainingReportFirstDay: 21 }, 'trainingReportFirstDay'],
    ['a zero extension maximum (第十四条)', { extensionMaxWorkingDays: 0 }, 'extensionMaxWorkingDays'],
    ['a negative clock skew (第十一条(四))', { dispatchClockSkewMinutes: -1 }, 'dispatchClockSkewMinutes'],
  ])('第十一条/第三十一条: %s is refused, naming the parameter', (_, overrides, name) => {
    expect(() => withOverrides(overrides)).toThrow(ParameterOverrideError);
    expect(() => withOverrides(overrides)).toThrow(name);
  });

  it('第三十三条: no overrides gives the defaults', () => {
    expect(withOverrides(undefined)).toEqual(DEFAULT_PARAMETERS);
    expect(withOverrides({})).toEqual(DEFAULT_PARAMETERS);
  });
});

describe('spec decisions of 第十四条 and 第十一条(四) are parameters', () => {
  it.each([
    ['第十四条: extensionMaxWorkingDays', 'extensionMaxWorkingDays', 10, 'working-days', 'spec decision (第十四条)'],
    ['第十一条(四): dispatchClockSkewMinutes', 'dispatchClockSkewMinutes', 5, 'minutes', 'spec decision (第十一条(四))'],
  ] as const)('%s', (_, name, value, unit, article) => {
    expect(DEFAULT_PARAMETERS[name]).toMatchObject({ value, unit, article, effectiveFrom: REGULATION_EFFECTIVE_FROM });
    expect(withOverrides({ [name]: 7 })[name]).toMatchObject({ value: 7, unit, article });
  });
});
