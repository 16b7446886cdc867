import { DEFAULT_PARAMETERS, REGULATION_EFFECTIVE_FROM, withOverrides } from '../../rules/parameters';
import {
  circularCriteria,
  completionRate,
  emptyCounts,
  figuresOf,
  isAcceptedOnTime,
  isClosedOnTime,
  monthPeriod,
  onTimeClosureRate,
  overdueRoundsOf,
  partTimelinessOf,
  rate,
  responseRate,
  returnsOf,
  satisfactionRate,
  statisticsPeriod,
  sumCounts,
  supervisionAnswerOf,
  tallyStatistics,
  threeRates,
  type StatisticsCounts,
  type StatisticsTicket,
} from '../../rules/statistics';

const at = (s: string) => new Date(s);

function counts(patch: (c: StatisticsCounts) => void): StatisticsCounts {
  const c = emptyCounts();
  patch(c);
  return c;
}

function ticket(overrides: Partial<StatisticsTicket> = {}): StatisticsTicket {
  return {
    ticketNo: 'T-1',
    unitId: 'road-transport-bureau',
    status: 'closed',
    acceptedAt: at('2025-03-03T10:00:00+08:00'),
    acceptDueAt: at('2025-03-03T12:00:00+08:00'),
    acceptOverdue: false,
    handlingOverdue: false,
    reopenCount: 0,
    satisfaction: null,
    rounds: [{ overdue: false }],
    parts: [],
    events: [],
    ...overrides,
  };
}

describe('the period (第二十四条 每月统计, Asia/Shanghai days)', () => {
  it('第二十四条: a month runs from 00:00 of its first day to 24:00 of its last, Asia/Shanghai', () => {
    const p = monthPeriod('2025-03');
    expect(p).toEqual({ from: '2025-03-01', to: '2025-03-31', start: at('2025-03-01T00:00:00+08:00'), end: at('2025-04-01T00:00:00+08:00') });
    expect(monthPeriod('2024-02').to).toBe('2024-02-29');
    expect(monthPeriod('2025-12').end).toEqual(at('2026-01-01T00:00:00+08:00'));
  });

  it('第二十四条: a date range includes both days; a reversed range or a non-date is refused', () => {
    expect(statisticsPeriod('2025-03-10', '2025-03-10')).toMatchObject({ start: at('2025-03-10T00:00:00+08:00'), end: at('2025-03-11T00:00:00+08:00') });
    expect(() => statisticsPeriod('2025-03-10', '2025-03-09')).toThrow(RangeError);
    expect(() => statisticsPeriod('2025-02-30', '2025-03-09')).toThrow(RangeError);
    expect(() => monthPeriod('2025-13')).toThrow(RangeError);
  });
});

describe('the 三率 (第二十四条), each defined once', () => {
  it('第八条(一): 响应率 = tickets accepted within the limit ÷ tickets received', () => {
    const c = counts((c) => {
      c.received = 8;
      c.acceptance = { accepted: 5, onTime: 3 };
    });
    expect(responseRate(c)).toEqual({ numerator: 3, denominator: 8, value: 0.375 });
    expect(figuresOf(c).acceptance.rate).toEqual(responseRate(c));
  });

  it('第十五条、第八条(三): 办结率 = closed ÷ (received − returned and taken away by the platform)', () => {
    const c = counts((c) => {
      c.received = 8;
      c.withdrawn = 1;
      c.closure = { closed: 4, onTime: 2 };
    });
    expect(completionRate(c)).toEqual({ numerator: 4, denominator: 7, value: 0.5714 });
    expect(figuresOf(c).closure).toMatchObject({ toClose: 7, rate: completionRate(c), onTimeRate: { numerator: 2, denominator: 4, value: 0.5 } });
  });

  it('第二十八条 (满意度测评办法): 满意率 = (满意 + 基本满意) ÷ rated, an unsatisfied rating with an upheld appeal (第二十七条) left out', () => {
    const c = counts((c) => {
      c.ratings = { rated: 7, satisfied: 3, basicallySatisfied: 2, unsatisfied: 2, unsatisfiedUpheld: 1 };
    });
    expect(satisfactionRate(c)).toEqual({ numerator: 5, denominator: 6, value: 0.8333 });
    const noAppeal = counts((c) => {
      c.ratings = { rated: 7, satisfied: 3, basicallySatisfied: 2, unsatisfied: 2, unsatisfiedUpheld: 0 };
    });
    expect(satisfactionRate(noAppeal)).toEqual({ numerator: 5, denominator: 7, value: 0.7143 });
  });

  it('第二十四条: nothing to divide by gives a null rate, never NaN or 0', () => {
    expect(threeRates(emptyCounts())).toEqual({
      response: { numerator: 0, denominator: 0, value: null },
      completion: { numerator: 0, denominator: 0, value: null },
      satisfaction: { numerator: 0, denominator: 0, value: null },
    });
    expect(onTimeClosureRate(emptyCounts()).value).toBeNull();
    expect(rate(2, 3).value).toBe(0.6667);
  });

  it('第二十四条 (全委合计): the Commission total sums counts field by field, and its rates come from the sums', () => {
    const a = counts((c) => {
      c.received = 8;
      c.acceptance = { accepted: 5, onTime: 3 };
      c.returns.byGround['not-our-duty'] = { total: 3, refused: 2 };
      c.supervision.byTrigger['第二十二条(二)'] = 1;
    });
    const b = counts((c) => {
      c.received = 3;
      c.acceptance = { accepted: 3, onTime: 3 };
      c.returns.byGround['not-our-duty'] = { total: 1, refused: 0 };
      c.supervision.byTrigger['第二十二条(二)'] = 1;
    });
    const total = sumCounts([a, b]);
    expect(total.received).toBe(11);
    expect(total.returns.byGround['not-our-duty']).toEqual({ total: 4, refused: 2 });
    expect(total.supervision.byTrigger['第二十二条(二)']).toBe(2);
    expect(responseRate(total)).toEqual({ numerator: 6, denominator: 11, value: 0.5455 });
  });
});

describe('what one ticket counts (第八条、第十一条、第十五条、第二十三条)', () => {
  it('第八条(一): accepted on time to the second; one second late, or marked overdue, is not', () => {
    expect(isAcceptedOnTime(ticket({ acceptedAt: at('2025-03-03T12:00:00.900+08:00') }))).toBe(true);
    expect(isAcceptedOnTime(ticket({ acceptedAt: at('2025-03-03T12:00:01+08:00') }))).toBe(false);
    expect(isAcceptedOnTime(ticket({ acceptOverdue: true }))).toBe(false);
    expect(isAcceptedOnTime(ticket({ acceptedAt: null }))).toBe(false);
  });

  it('第十一条、第十七条: a reopened ticket overdue in its first round only keeps one overdue round and is not closed on time', () => {
    const t = ticket({ reopenCount: 1, rounds: [{ overdue: true }, { overdue: false }], handlingOverdue: false });
    expect(overdueRoundsOf(t)).toBe(1);
    expect(isClosedOnTime(t)).toBe(false);
    expect(isClosedOnTime(ticket())).toBe(true);
    expect(overdueRoundsOf(ticket({ rounds: [], handlingOverdue: true }))).toBe(1);
    expect(isClosedOnTime(ticket({ status: 'contacted' }))).toBe(false);
  });

  it('第八条(三): a return is the unit’s that had the ticket then; the platform’s refusal marks the return before it', () => {
    const t = ticket({
      unitId: 'port-shipping-bureau',
      firstUnitId: 'road-transport-bureau',
      events: [
        { sequence: 6, type: 'returned', payload: { ground: 'not-our-duty' } },
        { sequence: 2, type: 'returned', payload: { ground: 'incomplete-info' } },
        { sequence: 3, type: 'return-refused', payload: { reason: '信息完整' } },
        { sequence: 4, type: 'returned', payload: { ground: 'not-our-duty' } },
        { sequence: 5, type: 'redispatched', payload: { unitId: 'port-shipping-bureau' } },
        { sequence: 7, type: 'return-refused', payload: {} },
      ],
    });
    expect(returnsOf(t)).toEqual([
      { sequence: 2, ground: 'incomplete-info', unitId: 'road-transport-bureau', refused: true },
      { sequence: 4, ground: 'not-our-duty', unitId: 'road-transport-bureau', refused: false },
      { sequence: 6, ground: 'not-our-duty', unitId: 'port-shipping-bureau', refused: true },
    ]);
  });

  it('第二十三条: a supervision case answered on time, late, not at all, or not yet due', () => {
    const due = at('2025-03-13T00:00:00+08:00');
    expect(supervisionAnswerOf({ answeredAt: at('2025-03-12T10:00:00+08:00'), answerDueAt: due, late: false })).toBe('on-time');
    expect(supervisionAnswerOf({ answeredAt: at('2025-03-13T00:00:01+08:00'), answerDueAt: due, late: false })).toBe('late');
    expect(supervisionAnswerOf({ answeredAt: at('2025-03-12T10:00:00+08:00'), answerDueAt: due, late: true })).toBe('late');
    expect(supervisionAnswerOf({ answeredAt: null, answerDueAt: due, late: true })).toBe('unanswered');
    expect(supervisionAnswerOf({ answeredAt: null, answerDueAt: due, late: false })).toBe('pending');
  });

  it('第九条、第八条(一): a co-handling part’s own acceptance and submission', () => {
    expect(partTimelinessOf({ unitId: 'x', status: 'submitted', acceptedAt: '2025-03-18T10:00:00+08:00', acceptDueAt: '2025-03-18T12:00:00+08:00', late: false })).toEqual({
      acceptedOnTime: true,
      submitted: true,
      submittedOnTime: true,
      late: false,
    });
    expect(partTimelinessOf({ unitId: 'x', status: 'accepted', acceptedAt: '2025-03-18T13:00:00+08:00', acceptDueAt: '2025-03-18T12:00:00+08:00', acceptOverdue: true, late: true })).toEqual({
      acceptedOnTime: false,
      submitted: false,
      submittedOnTime: false,
      late: true,
    });
  });

  it('第二十四条: the tally counts a ticket for its lead unit, a return for the returning unit, a part for the part’s unit', () => {
    const t = ticket({
      unitId: 'port-shipping-bureau',
      firstUnitId: 'road-transport-bureau',
      satisfaction: 'unsatisfied',
      appealStatus: 'upheld',
      parts: [{ unitId: 'highway-center', status: 'submitted', acceptedAt: '2025-03-03T10:00:00+08:00', acceptDueAt: '2025-03-03T12:00:00+08:00' }],
      events: [
        { sequence: 2, type: 'returned', payload: { ground: 'not-our-duty' } },
        { sequence: 3, type: 'redispatched', payload: { unitId: 'port-shipping-bureau' } },
        { sequence: 9, type: 'revisited', payload: { satisfaction: 'basically-satisfied' } },
      ],
    });
    const tally = tallyStatistics({
      tickets: [t],
      cases: [{ id: 'T-1:1', ticketNo: 'T-1', unitId: 'port-shipping-bureau', triggers: [{ article: '第二十二条(二)' }, { article: '第二十二条(三)' }], answeredAt: null, answerDueAt: null, late: true }],
      appeals: [{ ticketNo: 'T-1', unitId: 'port-shipping-bureau', status: 'upheld' }],
    });
    const psb = tally.get('port-shipping-bureau')!;
    const rtb = tally.get('road-transport-bureau')!;
    expect(psb).toMatchObject({ received: 1, returns: { total: 0 }, revisits: { total: 1, basicallySatisfied: 1 }, appeals: { filed: 1, upheld: 1 } });
    expect(psb.ratings).toEqual({ rated: 1, satisfied: 0, basicallySatisfied: 0, unsatisfied: 1, unsatisfiedUpheld: 1 });
    expect(psb.supervision).toMatchObject({ cases: 1, unanswered: 1 });
    expect(psb.supervision.byTrigger).toMatchObject({ '第二十二条(二)': 1, '第二十二条(三)': 1, '第二十二条(一)': 0 });
    expect(rtb).toMatchObject({ received: 0, returns: { total: 1, refused: 0, byGround: { 'not-our-duty': { total: 1, refused: 0 } } } });
    expect(tally.get('highway-center')!.coHandling).toEqual({ parts: 1, acceptedOnTime: 1, submitted: 1, submittedOnTime: 1, late: 0 });
    expect(satisfactionRate(psb).value).toBeNull();
  });
});

describe('the circular criteria of 第二十四条', () => {
  const none = { unitId: 'road-transport-bureau', refusedReturns: [], repeatedReturnTickets: [], overdueTickets: [], unansweredCases: [], records: [] };

  it('第二十四条(一): refused returns, repeated returns and overdue tickets each from their parameter on', () => {
    const found = circularCriteria({ ...none, refusedReturns: ['T-4', 'T-5', 'T-5'], repeatedReturnTickets: ['T-5'], overdueTickets: ['T-5', 'T-2', 'T-3'] });
    expect(found).toEqual([
      expect.objectContaining({ rule: 'circular.refused-returns', article: '第二十四条(一)', count: 3, threshold: 2, tickets: ['T-4', 'T-5'] }),
      expect.objectContaining({ rule: 'circular.repeated-returns', article: '第二十四条(一)', count: 1, threshold: 1, tickets: ['T-5'] }),
      expect.objectContaining({ rule: 'circular.overdue-tickets', article: '第二十四条(一)', count: 3, threshold: 3, tickets: ['T-2', 'T-3', 'T-5'] }),
    ]);
    expect(circularCriteria({ ...none, refusedReturns: ['T-4'], overdueTickets: ['T-1', 'T-2'] })).toEqual([]);
  });

  it('第二十四条(一): the thresholds are parameters with their article and effective date (第三十三条), and can be overridden', () => {
    for (const name of ['circularRefusedReturns', 'circularRepeatedReturns', 'circularOverdueTickets'] as const) {
      expect(DEFAULT_PARAMETERS[name]).toMatchObject({ unit: 'count', effectiveFrom: REGULATION_EFFECTIVE_FROM });
      expect(DEFAULT_PARAMETERS[name].article).toContain('第二十四条(一)');
    }
    const params = withOverrides({ circularOverdueTickets: 2 });
    expect(circularCriteria({ ...none, overdueTickets: ['T-1', 'T-2'] }, params)).toEqual([expect.objectContaining({ rule: 'circular.overdue-tickets', threshold: 2 })]);
    expect(() => withOverrides({ circularRefusedReturns: 0 })).toThrow('circularRefusedReturns');
  });

  it('第二十四条(二)(三): an unanswered late supervision case, and each media exposure or city circular recorded by hand', () => {
    const found = circularCriteria({
      ...none,
      unansweredCases: [{ caseId: 'T-13:1', ticketNo: 'T-13' }],
      records: [{ id: '7', kind: 'media-exposure', title: '津云报道公交站牌缺失', tickets: ['T-8'] }],
    });
    expect(found).toEqual([
      expect.objectContaining({ rule: 'circular.supervision-unanswered', article: '第二十四条(二)', count: 1, threshold: null, tickets: ['T-13'], cases: ['T-13:1'] }),
      expect.objectContaining({ rule: 'circular.media-exposure', article: '第二十四条(三)', tickets: ['T-8'], recordId: '7' }),
    ]);
  });
});
