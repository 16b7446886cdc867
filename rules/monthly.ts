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
 * Who owes the reports of 第三十一条 is not written here: it is the `owesMonthlyReports` mark of the units in the one unit
 * table (prisma `Unit`), the same ids the API and the statistics use; `monthlyFilingObligations` takes those rows.
 *
 * Takes the working calendar as an argument and imports no holiday data.
 */
import { previousWorkingDay, workingDayOnOrAfter, workingDayOnOrBefore, type WorkingCalendar } from './clock';
import { DEFAULT_PARAMETERS, type Parameters } from './parameters';
import {
  datesBetween,
  dateKeyOf,
  endOfShanghaiDay,
  isLate,
  parseMonthKey,
  previousMonth,
  startOfShanghaiDay,
  type DateKey,
  type MonthKey,
} from './time';

/** A unit as the unit table has it (prisma `Unit`): its id and whether it files the reports of 第三十一条. */
export interface ReportingUnitRow {
  id: string;
  owesMonthlyReports: boolean;
  /** An inactive unit owes nothing. */
  active?: boolean;
}

/**
 * 第三十一条: whether a unit of the unit table files the monthly reports itself (other units send their material, sealed,
 * to 委政务服务处: 第三十二条).
 */
export function owesMonthlyReports(unit: Pick<ReportingUnitRow, 'owesMonthlyReports' | 'active'>): boolean {
  return unit.owesMonthlyReports && unit.active !== false;
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

// ---------------------------------------------------------------------------------------------------------------
// 第三十一条: the filings each owing unit makes, their due time, reminder and late mark
// ---------------------------------------------------------------------------------------------------------------

/** 第三十一条(一)(二): the knowledge-base report (知识库信息月报表) and the training-material report (培训材料月报表). */
export const MONTHLY_FILING_KINDS = ['knowledge-base', 'training'] as const;
/** One of MONTHLY_FILING_KINDS (第三十一条(一)(二)). */
export type MonthlyFilingKind = (typeof MONTHLY_FILING_KINDS)[number];

/**
 * spec decision (第三十一条): the reminder goes out at 00:00 (Asia/Shanghai) of the working day this many working days
 * before the due day, so a unit has that day and the due day itself to file.
 */
export const MONTHLY_FILING_REMINDER_WORKING_DAYS = 1;

/** 第三十一条(一): the next month (`2026-12` → `2027-01`), the month a knowledge-base report is filed in. */
export function nextMonth(month: MonthKey): MonthKey {
  const { year, month: m } = parseMonthKey(month);
  return m === 12 ? `${String(year + 1).padStart(4, '0')}-01` : `${String(year).padStart(4, '0')}-${String(m + 1).padStart(2, '0')}`;
}

/** The month a filing of `kind` for `assessmentMonth` is filed in: the next month for the knowledge-base report (第三十一条(一)). */
export function filingMonthOf(kind: MonthlyFilingKind, assessmentMonth: MonthKey): MonthKey {
  return kind === 'knowledge-base' ? nextMonth(assessmentMonth) : assessmentMonth;
}

/** 第三十一条: one of the two reports filed in `month`, with its due day and reminder. */
export interface MonthlyFilingDeadline {
  kind: MonthlyFilingKind;
  /** The month the report is filed in (its window: the 1st to the 5th / 20th of this month). */
  filingMonth: MonthKey;
  /** 考核月度: the previous month for the knowledge-base report, this month for the training report. */
  assessmentMonth: MonthKey;
  nominalLastDay: DateKey;
  /** The last working day on or before the nominal last day (第三十一条(四)): it may lie in the previous month. */
  dueDate: DateKey;
  /** The end of `dueDate`: filed at this instant is on time, a second later late. */
  dueAt: Date;
  /** When the units that have not filed are reminded (MONTHLY_FILING_REMINDER_WORKING_DAYS). */
  remindAt: Date;
  moved: 'none' | 'earlier';
  provisional: boolean;
  article: string;
}

/** 第三十一条: the reminder instant of a report due by the end of `dueDate`. */
export function monthlyFilingReminderAt(calendar: WorkingCalendar, dueDate: DateKey, leadWorkingDays = MONTHLY_FILING_REMINDER_WORKING_DAYS): Date {
  let day = dueDate;
  for (let i = 0; i < leadWorkingDays; i++) day = previousWorkingDay(calendar, day);
  return startOfShanghaiDay(day);
}

/** 第三十一条: the knowledge-base and training reports filed in `month`, with their due days and reminders. */
export function monthlyFilingDeadlines(month: MonthKey, calendar: WorkingCalendar, params: Parameters = DEFAULT_PARAMETERS): Record<MonthlyFilingKind, MonthlyFilingDeadline> {
  const m = monthlyDeadlines(month, calendar, params);
  const of = (kind: MonthlyFilingKind, d: MonthlyDeadline): MonthlyFilingDeadline => ({
    kind,
    filingMonth: month,
    assessmentMonth: d.assessmentMonth,
    nominalLastDay: d.nominalLastDay,
    dueDate: d.dueDate,
    dueAt: d.dueAt,
    remindAt: monthlyFilingReminderAt(calendar, d.dueDate),
    moved: d.moved === 'earlier' ? 'earlier' : 'none',
    provisional: d.provisional,
    article: d.article,
  });
  return { 'knowledge-base': of('knowledge-base', m.knowledgeBaseReport), training: of('training', m.trainingReport) };
}

/** 第三十一条: the id of a unit's filing (prisma `MonthlyFiling`): `<unitId>:<kind>:<assessment month>`. */
export function monthlyFilingId(unitId: string, kind: MonthlyFilingKind, assessmentMonth: MonthKey): string {
  return `${unitId}:${kind}:${assessmentMonth}`;
}

/** A filing's id: `<unitId>:<knowledge-base|training>:<YYYY-MM>`. */
export const FILING_ID = /^([a-z0-9][a-z0-9-]{0,63}):(knowledge-base|training):(\d{4}-(?:0[1-9]|1[0-2]))$/;

/** 第三十一条: a filing id split into its unit, report and assessment month, or null when it is not one. */
export function parseMonthlyFilingId(id: string): { unitId: string; kind: MonthlyFilingKind; assessmentMonth: MonthKey } | null {
  const m = FILING_ID.exec(id);
  return m ? { unitId: m[1]!, kind: m[2] as MonthlyFilingKind, assessmentMonth: m[3]! } : null;
}

/** One filing a unit owes (第三十一条). */
export interface MonthlyFilingObligation extends MonthlyFilingDeadline {
  id: string;
  unitId: string;
}

/**
 * 第三十一条: every filing the owing units make in `month` — for each unit of the unit table marked
 * `owesMonthlyReports` (and active), the knowledge-base report for the previous month and the training report for this
 * one; each is due even with nothing new (第三十一条(三)).
 */
export function monthlyFilingObligations(
  month: MonthKey,
  units: readonly ReportingUnitRow[],
  calendar: WorkingCalendar,
  params: Parameters = DEFAULT_PARAMETERS,
): MonthlyFilingObligation[] {
  const deadlines = monthlyFilingDeadlines(month, calendar, params);
  return units
    .filter(owesMonthlyReports)
    .flatMap((u) => MONTHLY_FILING_KINDS.map((kind) => ({ ...deadlines[kind], id: monthlyFilingId(u.id, kind, deadlines[kind].assessmentMonth), unitId: u.id })));
}
