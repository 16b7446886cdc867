/**
 * Monthly deadlines: the knowledge-base and training reports of 第三十一条 and the appeal package of 第二十八条.
 *
 * - 第三十一条(一): knowledge-base report from the 1st to the 5th, assessment month = the previous month;
 * - 第三十一条(二): training-material report from the 1st to the 20th, assessment month = the current month;
 * - 第三十一条(三): due even with nothing new; 第三十一条(四): no postponement — when the last day is not a working day the
 *   report is due by the end of the last working day on or before it (spec decision), which may be in the previous month;
 * - 第二十八条: last month's appeal package by the end of the 6th (inclusive, spec decision), postponed to the end of the
 *   first working day after when the 6th is not a working day.
 *
 * Takes the working calendar as an argument and imports no holiday data.
 */
import { workingDayOnOrAfter, workingDayOnOrBefore, type WorkingCalendar } from './clock';
import { DEFAULT_PARAMETERS, type Parameters } from './parameters';
import { datesBetween, dateKeyOf, endOfShanghaiDay, isLate, parseMonthKey, previousMonth, type DateKey, type MonthKey } from './time';

/** 第三十一条: the units that file the monthly knowledge-base and training reports on the 12345 platform. */
export const MONTHLY_REPORTING_UNITS = ['市道路运输局', '市港航局', '市交通运输执法总队', '委政务服务处', '市公路中心', '市综合服务中心'] as const;
/** One of the units of 第三十一条. */
export type MonthlyReportingUnit = (typeof MONTHLY_REPORTING_UNITS)[number];

/** 第三十一条: whether `unit` files the monthly reports itself (other units send their material to 委政务服务处, 第三十二条). */
export function owesMonthlyReports(unit: string): unit is MonthlyReportingUnit {
  return (MONTHLY_REPORTING_UNITS as readonly string[]).includes(unit);
}

/** One monthly deadline. */
export interface MonthlyDeadline {
  kind: 'knowledge-base-report' | 'training-report' | 'appeal-package';
  /** The month the report is filed in. */
  month: MonthKey;
  /** The month to choose as 考核月度 (reports), or the month whose unsatisfied tickets are appealed (appeal package). */
  assessmentMonth: MonthKey;
  /** The window as written (第1日 … 第5日 / 第20日 / 第6日). */
  nominalFirstDay: DateKey;
  nominalLastDay: DateKey;
  /** The last day that counts, after moving earlier (第三十一条(四)) or later (第二十八条). */
  dueDate: DateKey;
  /** The end of `dueDate` (00:00 of the next day, Asia/Shanghai); submitted at this instant is on time. */
  dueAt: Date;
  moved: 'none' | 'earlier' | 'later';
  /** A day consulted has no published holiday arrangement yet. */
  provisional: boolean;
  article: string;
}

/** The three monthly deadlines of a month. */
export interface MonthlyDeadlines {
  knowledgeBaseReport: MonthlyDeadline;
  trainingReport: MonthlyDeadline;
  appealPackage: MonthlyDeadline;
}

function deadline(
  calendar: WorkingCalendar,
  kind: MonthlyDeadline['kind'],
  month: MonthKey,
  assessmentMonth: MonthKey,
  firstDay: number,
  lastDay: number,
  direction: 'earlier' | 'later',
  article: string,
): MonthlyDeadline {
  const { year, month: m } = parseMonthKey(month);
  const nominalLastDay = dateKeyOf(year, m, lastDay);
  const dueDate = direction === 'earlier' ? workingDayOnOrBefore(calendar, nominalLastDay) : workingDayOnOrAfter(calendar, nominalLastDay);
  const span = dueDate < nominalLastDay ? datesBetween(dueDate, nominalLastDay) : datesBetween(nominalLastDay, dueDate);
  return {
    kind,
    month,
    assessmentMonth,
    nominalFirstDay: dateKeyOf(year, m, firstDay),
    nominalLastDay,
    dueDate,
    dueAt: endOfShanghaiDay(dueDate),
    moved: dueDate === nominalLastDay ? 'none' : direction,
    provisional: span.some((d) => calendar.dayInfo(d).provisional),
    article,
  };
}

/**
 * 第二十八条, 第三十一条: the knowledge-base report, training report and appeal package deadlines of `month` (`YYYY-MM`).
 * E.g. 2026-05: knowledge-base report due by the end of 2026-04-30 (May 1–5 is the Labour Day holiday); 2026-10: appeal
 * package due by the end of 2026-10-08.
 */
export function monthlyDeadlines(month: MonthKey, calendar: WorkingCalendar, params: Parameters = DEFAULT_PARAMETERS): MonthlyDeadlines {
  return {
    knowledgeBaseReport: deadline(
      calendar,
      'knowledge-base-report',
      month,
      previousMonth(month),
      params.knowledgeBaseReportFirstDay.value,
      params.knowledgeBaseReportLastDay.value,
      'earlier',
      '第三十一条(一)(四)',
    ),
    trainingReport: deadline(
      calendar,
      'training-report',
      month,
      month,
      params.trainingReportFirstDay.value,
      params.trainingReportLastDay.value,
      'earlier',
      '第三十一条(二)(四)',
    ),
    appealPackage: deadline(calendar, 'appeal-package', month, previousMonth(month), 1, params.appealPackageDay.value, 'later', '第二十八条'),
  };
}

/** 第二十八条, 第三十一条: late when submitted after `dueAt`, to the second. */
export function isMonthlyDeadlineMissed(deadline: Pick<MonthlyDeadline, 'dueAt'>, submittedAt: Date): boolean {
  return isLate(deadline.dueAt, submittedAt);
}
