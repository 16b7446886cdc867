import { isMonthlyDeadlineMissed, MONTHLY_REPORTING_UNITS, monthlyDeadlines, owesMonthlyReports } from '../../rules/monthly';
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

describe('第三十一条 who reports, parameters and input', () => {
  it('第三十一条: the six units that file the monthly reports', () => {
    expect([...MONTHLY_REPORTING_UNITS]).toEqual(['市道路运输局', '市港航局', '市交通运输执法总队', '委政务服务处', '市公路中心', '市综合服务中心']);
    expect(owesMonthlyReports('市港航局')).toBe(true);
    expect(owesMonthlyReports('委综合规划处')).toBe(false);
  });

  it('第三十一条(一): the report window is a parameter', () => {
    const d = monthlyDeadlines('2026-05', calendar, withOverrides({ knowledgeBaseReportLastDay: 7 })).knowledgeBaseReport;
    expect(d).toMatchObject({ nominalLastDay: '2026-05-07', dueDate: '2026-05-07', moved: 'none' });
  });

  it('第三十一条: a malformed month is refused', () => {
    expect(() => monthlyDeadlines('2026-13', calendar)).toThrow(RangeError);
    expect(() => monthlyDeadlines('2026-5', calendar)).toThrow(RangeError);
  });
});
