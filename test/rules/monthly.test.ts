import {
  filingMonthOf,
  isMonthlyDeadlineMissed,
  monthlyDeadlines,
  monthlyFilingDeadlines,
  monthlyFilingId,
  monthlyFilingObligations,
  monthlyFilingReminderAt,
  nextMonth,
  owesMonthlyReports,
  parseMonthlyFilingId,
} from '../../rules/monthly';
import { withOverrides } from '../../rules/parameters';
import { calendar, plusSeconds, sh } from './support';

describe('第三十一条(一)(四) knowledge-base report: 1st–5th, assessment month = previous month, moved earlier', () => {
  it.each([
    ['第三十一条(一)(四): 2026-05 — May 1–5 holiday, due by the end of 2026-04-30', '2026-05', '2026-04-30', 'earlier', '2026-04'],
    ['第三十一条(一): 2026-02 — the 5th is a Thursday', '2026-02', '2026-02-05', 'none', '2026-01'],
    ['第三十一条(一)(四): 2026-10 — National Day, due by the end of 2026-09-30', '2026-10', '2026-09-30', 'earlier', '2026-09'],
    ['第三十一条(一)(四): 2026-04 — the 5th is 清明, due the 3rd', '2026-04', '2026-04-03', 'earlier', '2026-03'],
    ['第三十一条(一): 2026-01 — the 5th is a Monday; assessment month is 2025-12', '2026-01', '2026-01-05', 'none', '2025-12'],
  ])('%s', (_, month, dueDate, moved, assessmentMonth) => {
    const d = monthlyDeadlines(month, calendar).knowledgeBaseReport;
    expect(d).toMatchObject({ dueDate, moved, assessmentMonth, nominalFirstDay: `${month}-01`, nominalLastDay: `${month}-05`, article: '第三十一条(一)(四)' });
    expect(d.dueAt).toEqual(plusSeconds(sh(dueDate), 24 * 3600));
  });
});

describe('第三十一条(二)(四) training report: 1st–20th, assessment month = current month, moved earlier', () => {
  it.each([
    ['第三十一条(二)(四): 2026-02 — the 20th is 春节, due the make-up working day 02-14', '2026-02', '2026-02-14', 'earlier'],
    ['第三十一条(二): 2026-09 — the 20th is a make-up working Sunday, no move', '2026-09', '2026-09-20', 'none'],
    ['第三十一条(二)(四): 2026-06 — the 20th is 端午, due the 18th', '2026-06', '2026-06-18', 'earlier'],
    ['第三十一条(二)(四): 2026-12 — the 20th is a Sunday, due Friday the 18th', '2026-12', '2026-12-18', 'earlier'],
  ])('%s', (_, month, dueDate, moved) => {
    expect(monthlyDeadlines(month, calendar).trainingReport).toMatchObject({ dueDate, moved, assessmentMonth: month });
  });
});

describe('第二十八条 appeal package: by the end of the 6th, postponed to the first working day', () => {
  it.each([
    ['第二十八条: 2026-10 — the 6th is a holiday, due by the end of 2026-10-08', '2026-10', '2026-10-08', 'later', false],
    ['第二十八条: 2026-02 — the 6th is a Friday', '2026-02', '2026-02-06', 'none', false],
    ['第二十八条: 2026-06 — the 6th is a Saturday, due Monday the 8th', '2026-06', '2026-06-08', 'later', false],
    ['第二十八条: 2027-02 — the 6th is 春节 (statutory, provisional), due the 9th', '2027-02', '2027-02-09', 'later', true],
  ])('%s', (_, month, dueDate, moved, provisional) => {
    const d = monthlyDeadlines(month, calendar).appealPackage;
    expect(d).toMatchObject({ dueDate, moved, provisional, article: '第二十八条' });
    expect(d.dueAt).toEqual(plusSeconds(sh(dueDate), 24 * 3600));
  });

  it('第二十八条: the package covers the previous month’s unsatisfied tickets', () => {
    expect(monthlyDeadlines('2026-01', calendar).appealPackage.assessmentMonth).toBe('2025-12');
  });

  it('第二十八条: submitted exactly at the end of the 8th is on time, one second later late', () => {
    const d = monthlyDeadlines('2026-10', calendar).appealPackage;
    expect(isMonthlyDeadlineMissed(d, sh('2026-10-09 00:00'))).toBe(false);
    expect(isMonthlyDeadlineMissed(d, sh('2026-10-09 00:00:01'))).toBe(true);
  });
});

/** The unit table as migrated (prisma/migrations): the six units of 第三十一条 are marked, by id. */
const UNIT_TABLE = [
  { id: 'service-division', owesMonthlyReports: true, active: true },
  { id: 'road-transport-bureau', owesMonthlyReports: true, active: true },
  { id: 'port-shipping-bureau', owesMonthlyReports: true, active: true },
  { id: 'transport-enforcement-corps', owesMonthlyReports: true, active: true },
  { id: 'highway-center', owesMonthlyReports: true, active: true },
  { id: 'comprehensive-service-center', owesMonthlyReports: true, active: true },
  { id: 'passenger-division', owesMonthlyReports: false, active: true },
  { id: 'planning-division', owesMonthlyReports: false, active: true },
  { id: 'retired-bureau', owesMonthlyReports: true, active: false },
];

describe('第三十一条 who reports: the units of the unit table marked owesMonthlyReports, by id', () => {
  it('第三十一条: a unit owes the reports when the table marks it and it is active; 第三十二条 units do not', () => {
    expect(owesMonthlyReports({ owesMonthlyReports: true, active: true })).toBe(true);
    expect(owesMonthlyReports({ owesMonthlyReports: true })).toBe(true);
    expect(owesMonthlyReports({ owesMonthlyReports: false, active: true })).toBe(false);
    expect(owesMonthlyReports({ owesMonthlyReports: true, active: false })).toBe(false);
  });

  it('第三十一条(一)(二)(三): each owing unit owes both reports every month, ids from the unit table', () => {
    const o = monthlyFilingObligations('2026-05', UNIT_TABLE, calendar);
    expect(o.map((x) => x.id)).toEqual(
      ['service-division', 'road-transport-bureau', 'port-shipping-bureau', 'transport-enforcement-corps', 'highway-center', 'comprehensive-service-center'].flatMap((u) => [
        `${u}:knowledge-base:2026-04`,
        `${u}:training:2026-05`,
      ]),
    );
    expect(o.find((x) => x.id === 'port-shipping-bureau:knowledge-base:2026-04')).toMatchObject({
      unitId: 'port-shipping-bureau',
      kind: 'knowledge-base',
      filingMonth: '2026-05',
      assessmentMonth: '2026-04',
      dueDate: '2026-04-30',
      dueAt: sh('2026-05-01 00:00'),
      moved: 'earlier',
    });
    expect(monthlyFilingObligations('2026-05', [], calendar)).toEqual([]);
  });
});

describe('第三十一条 the filings: due day, reminder, ids', () => {
  it.each([
    ['第三十一条(一)(四): 2026-05 knowledge-base report due 04-30 (Labour Day), reminded at the start of 04-29', '2026-05', 'knowledge-base', '2026-04', '2026-04-30', '2026-04-29'],
    ['第三十一条(一)(四): 2026-10 knowledge-base report due 09-30 (National Day), reminded at the start of 09-29', '2026-10', 'knowledge-base', '2026-09', '2026-09-30', '2026-09-29'],
    ['第三十一条(二)(四): 2026-02 training report due 02-14 (make-up working Saturday), reminded at the start of 02-13', '2026-02', 'training', '2026-02', '2026-02-14', '2026-02-13'],
    ['第三十一条(二): 2026-09 training report due the make-up working Sunday 09-20, reminded at the start of Friday 09-18', '2026-09', 'training', '2026-09', '2026-09-20', '2026-09-18'],
    ['第三十一条(一): 2026-01 knowledge-base report due Monday 01-05, reminded at the start of Sunday 01-04 (a make-up working day)', '2026-01', 'knowledge-base', '2025-12', '2026-01-05', '2026-01-04'],
  ] as const)('%s', (_, month, kind, assessmentMonth, dueDate, remindDay) => {
    const d = monthlyFilingDeadlines(month, calendar)[kind];
    expect(d).toMatchObject({ kind, filingMonth: month, assessmentMonth, dueDate });
    expect(d.dueAt).toEqual(plusSeconds(sh(dueDate), 24 * 3600));
    expect(d.remindAt).toEqual(sh(remindDay));
    expect(d.remindAt.getTime()).toBeLessThan(d.dueAt.getTime());
  });

  it('第三十一条: the reminder lead is counted in working days back from the due day', () => {
    // Due Thursday 2026-04-30; two working days before: Tuesday 04-28.
    expect(monthlyFilingReminderAt(calendar, '2026-04-30', 2)).toEqual(sh('2026-04-28'));
    // Due Wednesday 2026-05-06, the first working day after Labour Day (05-01–05-05): the reminder looks back over the
    // holiday to Thursday 04-30.
    expect(monthlyFilingReminderAt(calendar, '2026-05-06')).toEqual(sh('2026-04-30'));
  });

  it('第三十一条: ids name the unit, the report and the assessment month; the knowledge-base report is filed the month after', () => {
    expect(monthlyFilingId('highway-center', 'knowledge-base', '2026-04')).toBe('highway-center:knowledge-base:2026-04');
    expect(parseMonthlyFilingId('highway-center:knowledge-base:2026-04')).toEqual({ unitId: 'highway-center', kind: 'knowledge-base', assessmentMonth: '2026-04' });
    for (const bad of ['highway-center:kb:2026-04', 'highway-center:training:2026-13', 'Highway:training:2026-04', ':training:2026-04', 'highway-center:training', '<script>:training:2026-04'])
      expect(parseMonthlyFilingId(bad)).toBeNull();
    expect(filingMonthOf('knowledge-base', '2026-12')).toBe('2027-01');
    expect(filingMonthOf('training', '2026-12')).toBe('2026-12');
    expect(nextMonth('2026-12')).toBe('2027-01');
    expect(nextMonth('2026-04')).toBe('2026-05');
  });
});

describe('第三十一条 parameters and input', () => {
  it('第三十一条(一): the report window is a parameter', () => {
    const d = monthlyDeadlines('2026-05', calendar, withOverrides({ knowledgeBaseReportLastDay: 7 })).knowledgeBaseReport;
    expect(d).toMatchObject({ nominalLastDay: '2026-05-07', dueDate: '2026-05-07', moved: 'none' });
    expect(monthlyFilingDeadlines('2026-05', calendar, withOverrides({ knowledgeBaseReportLastDay: 7 }))['knowledge-base'].dueDate).toBe('2026-05-07');
  });

  it('第三十一条: a malformed month is refused', () => {
    expect(() => monthlyDeadlines('2026-13', calendar)).toThrow(RangeError);
    expect(() => monthlyDeadlines('2026-5', calendar)).toThrow(RangeError);
    expect(() => monthlyFilingDeadlines('2026-00', calendar)).toThrow(RangeError);
  });
});
