import { createWorkingCalendar, DATA_PACKAGE_YEARS, statutoryHolidays } from '../../rules/calendar';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { calendar } from './support';

const ROOT = join(__dirname, '../..');

describe('第十一条 working calendar: every 2026 holiday and make-up day (published arrangement)', () => {
  const cases: [string, boolean, string | undefined, string][] = [
    ['2026-01-01', false, '元旦', 'holiday'],
    ['2026-01-02', false, '元旦', 'holiday'],
    ['2026-01-03', false, '元旦', 'holiday'],
    ['2026-01-04', true, '元旦调休上班', 'make-up-workday'],
    ['2026-01-05', true, undefined, 'workday'],
    ['2026-01-10', false, undefined, 'weekend'],
    ['2026-02-13', true, undefined, 'workday'],
    ['2026-02-14', true, '春节调休上班', 'make-up-workday'],
    ['2026-02-15', false, '春节', 'holiday'],
    ['2026-02-16', false, '春节', 'holiday'],
    ['2026-02-17', false, '春节', 'holiday'],
    ['2026-02-18', false, '春节', 'holiday'],
    ['2026-02-19', false, '春节', 'holiday'],
    ['2026-02-20', false, '春节', 'holiday'],
    ['2026-02-21', false, '春节', 'holiday'],
    ['2026-02-22', false, '春节', 'holiday'],
    ['2026-02-23', false, '春节', 'holiday'],
    ['2026-02-24', true, undefined, 'workday'],
    ['2026-02-28', true, '春节调休上班', 'make-up-workday'],
    ['2026-04-03', true, undefined, 'workday'],
    ['2026-04-04', false, '清明', 'holiday'],
    ['2026-04-05', false, '清明', 'holiday'],
    ['2026-04-06', false, '清明', 'holiday'],
    ['2026-04-07', true, undefined, 'workday'],
    ['2026-05-01', false, '劳动节', 'holiday'],
    ['2026-05-02', false, '劳动节', 'holiday'],
    ['2026-05-03', false, '劳动节', 'holiday'],
    ['2026-05-04', false, '劳动节', 'holiday'],
    ['2026-05-05', false, '劳动节', 'holiday'],
    ['2026-05-06', true, undefined, 'workday'],
    ['2026-05-09', true, '劳动节调休上班', 'make-up-workday'],
    ['2026-06-19', false, '端午', 'holiday'],
    ['2026-06-20', false, '端午', 'holiday'],
    ['2026-06-21', false, '端午', 'holiday'],
    ['2026-06-22', true, undefined, 'workday'],
    ['2026-09-20', true, '国庆节调休上班', 'make-up-workday'],
    ['2026-09-25', false, '中秋', 'holiday'],
    ['2026-09-26', false, '中秋', 'holiday'],
    ['2026-09-27', false, '中秋', 'holiday'],
    ['2026-09-30', true, undefined, 'workday'],
    ['2026-10-01', false, '国庆节', 'holiday'],
    ['2026-10-02', false, '国庆节', 'holiday'],
    ['2026-10-03', false, '国庆节', 'holiday'],
    ['2026-10-04', false, '国庆节', 'holiday'],
    ['2026-10-05', false, '国庆节', 'holiday'],
    ['2026-10-06', false, '国庆节', 'holiday'],
    ['2026-10-07', false, '国庆节', 'holiday'],
    ['2026-10-08', true, undefined, 'workday'],
    ['2026-10-10', true, '国庆节调休上班', 'make-up-workday'],
    ['2026-10-11', false, undefined, 'weekend'],
    ['2026-12-31', true, undefined, 'workday'],
  ];
  it.each(cases)('第十一条: %s working=%s (%s)', (date, working, name, kind) => {
    const info = calendar.dayInfo(date);
    expect(info).toMatchObject({ date, working, kind, source: 'published', provisional: false });
    expect(info.name).toBe(name);
    expect(calendar.isWorkingDay(date)).toBe(working);
  });

  it('第十一条: a Date is read as its Asia/Shanghai day (2026-09-30T16:30Z is already 2026-10-01 in Tianjin)', () => {
    expect(calendar.isWorkingDay(new Date('2026-09-30T15:59:59Z'))).toBe(true);
    expect(calendar.isWorkingDay(new Date('2026-09-30T16:00:00Z'))).toBe(false);
  });

  it('第十一条: the 2026 arrangement lists exactly the holidays and the five make-up days', () => {
    const arrangement = calendar.yearArrangement(2026);
    expect(arrangement).toMatchObject({ year: 2026, published: true, provisional: false });
    expect(arrangement.days.filter((d) => d.kind === 'make-up-workday').map((d) => d.date)).toEqual([
      '2026-01-04',
      '2026-02-14',
      '2026-02-28',
      '2026-05-09',
      '2026-09-20',
      '2026-10-10',
    ]);
    expect(arrangement.days.filter((d) => d.kind === 'holiday')).toHaveLength(3 + 9 + 3 + 5 + 3 + 3 + 7);
    expect(calendar.yearArrangement(2026, { includeWeekends: true }).days.some((d) => d.kind === 'weekend')).toBe(true);
  });

  it('第十一条: years of the data package are published, 2027 is not', () => {
    expect(DATA_PACKAGE_YEARS).toContain(2026);
    expect(calendar.isPublishedYear(2026)).toBe(true);
    expect(calendar.isPublishedYear(2027)).toBe(false);
  });
});

describe('第十一条 calendar years: a year without a published arrangement (2027) uses the statutory holidays, provisional', () => {
  const cases: [string, boolean, string | undefined][] = [
    ['2027-01-01', false, '元旦'],
    ['2027-01-04', true, undefined],
    ['2027-02-04', true, undefined],
    ['2027-02-05', false, '春节（除夕）'],
    ['2027-02-06', false, '春节'],
    ['2027-02-07', false, '春节'],
    ['2027-02-08', false, '春节'],
    ['2027-02-09', true, undefined],
    ['2027-04-05', false, '清明节'],
    ['2027-05-01', false, '劳动节'],
    ['2027-05-02', false, '劳动节'],
    ['2027-05-03', true, undefined],
    ['2027-06-09', false, '端午节'],
    ['2027-09-15', false, '中秋节'],
    ['2027-10-01', false, '国庆节'],
    ['2027-10-03', false, '国庆节'],
    ['2027-10-04', true, undefined],
    ['2027-10-09', false, undefined],
  ];
  it.each(cases)('《全国年节及纪念日放假办法》/第十一条: %s working=%s (%s), provisional', (date, working, name) => {
    const info = calendar.dayInfo(date);
    expect(info).toMatchObject({ date, working, source: 'statutory-provisional', provisional: true });
    expect(info.name).toBe(name);
  });

  it('第十一条: never treats an unknown holiday as a working day — 2027-01-01 is a rest day although the data package says workday', () => {
    expect(calendar.isWorkingDay('2027-01-01')).toBe(false);
  });

  it('第十一条: the 2027 arrangement is provisional and lists the 13 statutory days on weekdays and weekends', () => {
    const y = calendar.yearArrangement(2027);
    expect(y).toMatchObject({ published: false, provisional: true });
    expect(y.days.map((d) => d.date)).toEqual([...statutoryHolidays(2027).keys()]);
    expect(y.days).toHaveLength(13);
  });

  it('《全国年节及纪念日放假办法》: 端午 of a leap-fifth-month year (2028) is the ordinary 五月初五, 中秋 and 国庆 may coincide', () => {
    const days = statutoryHolidays(2028);
    expect(days.get('2028-05-28')).toBe('端午节');
    expect([...days.values()].filter((n) => n.includes('端午'))).toHaveLength(1);
    expect(days.get('2028-10-03')).toBe('中秋节、国庆节');
    expect(days.get('2028-01-25')).toBe('春节（除夕）');
  });

  it('《全国年节及纪念日放假办法》/第十一条: holidays and deadlines do not depend on the process time zone', () => {
    // Jest gives tests a copy of process.env, so the time zone is changed in a child process.
    const script = [
      "const { createWorkingCalendar, statutoryHolidays } = require('./rules/calendar');",
      "const { addWorkingDays } = require('./rules/clock');",
      "const cal = createWorkingCalendar();",
      "const due = addWorkingDays(cal, new Date('2026-09-30T08:00:00Z'), 5).toISOString();",
      "console.log(JSON.stringify({ days: [...statutoryHolidays(2027).keys()], due, d: cal.dayInfo('2027-01-01').working }));",
    ].join('\n');
    const expected = { days: [...statutoryHolidays(2027).keys()], due: '2026-10-13T08:00:00.000Z', d: false };
    for (const tz of ['America/Los_Angeles', 'Pacific/Kiritimati']) {
      const out = execFileSync(join(ROOT, 'node_modules/.bin/tsx'), ['-e', script], { cwd: ROOT, env: { ...process.env, TZ: tz } });
      expect(JSON.parse(out.toString())).toEqual(expected);
    }
  });
});

describe('第十一条 calendar years: administrator overrides and loaded years', () => {
  it('第十一条: an override wins over the published arrangement (2026-10-08 made a rest day, 2026-10-11 a working day)', () => {
    const cal = createWorkingCalendar({
      overrides: [
        { date: '2026-10-08', working: false, name: '临时调整' },
        { date: '2026-10-11', working: true },
      ],
    });
    expect(cal.dayInfo('2026-10-08')).toMatchObject({ working: false, kind: 'holiday', name: '临时调整', source: 'override', provisional: false });
    expect(cal.dayInfo('2026-10-11')).toMatchObject({ working: true, kind: 'make-up-workday', source: 'override' });
    expect(cal.yearArrangement(2026).days.map((d) => d.date)).toContain('2026-10-08');
  });

  it('第十一条: an override in an unpublished year is definitive for that day only; the rest of 2027 stays provisional', () => {
    const cal = createWorkingCalendar({ overrides: [{ date: '2027-02-09', working: false, name: '春节' }] });
    expect(cal.dayInfo('2027-02-09')).toMatchObject({ working: false, source: 'override', provisional: false });
    expect(cal.dayInfo('2027-02-10')).toMatchObject({ working: true, provisional: true });
  });

  it('第十一条: a year loaded by an administrator is published — its days are its overrides plus ordinary weekdays, not provisional', () => {
    const cal = createWorkingCalendar({
      loadedYears: [2027],
      overrides: [
        { date: '2027-01-01', working: false, name: '元旦' },
        { date: '2027-05-03', working: false, name: '劳动节' },
        { date: '2027-04-25', working: true, name: '劳动节调休上班' },
      ],
    });
    expect(cal.isPublishedYear(2027)).toBe(true);
    expect(cal.dayInfo('2027-05-03')).toMatchObject({ working: false, source: 'override' });
    expect(cal.dayInfo('2027-04-25')).toMatchObject({ working: true, kind: 'make-up-workday' });
    expect(cal.dayInfo('2027-06-09')).toMatchObject({ working: true, source: 'published', provisional: false });
    expect(cal.yearArrangement(2027)).toMatchObject({ published: true, provisional: false });
  });

  it.each([
    ['a date that does not exist', { overrides: [{ date: '2026-02-30', working: false }] }],
    ['a date in another format', { overrides: [{ date: '2026/10/08', working: false }] }],
    ['a missing working flag', { overrides: [{ date: '2026-10-08' }] }],
    ['an unknown field', { overrides: [{ date: '2026-10-08', working: false, reason: 'x' }] }],
    ['the same day twice', { overrides: [{ date: '2026-10-08', working: false }, { date: '2026-10-08', working: true }] }],
    ['a year that is not an integer', { loadedYears: [2027.5] }],
  ])('第十一条: overrides are validated — %s throws', (_, options) => {
    expect(() => createWorkingCalendar(options as never)).toThrow();
  });

  it('第十一条: asking about a malformed day throws instead of guessing', () => {
    expect(() => calendar.dayInfo('2026-13-01')).toThrow(RangeError);
  });
});
