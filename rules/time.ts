/**
 * Time arithmetic of the rule layer: instants are `Date`s, calendar days are days of Asia/Shanghai (UTC+8, no daylight
 * saving since 1991), written `YYYY-MM-DD` (`DateKey`). Fixed +8 h offset, no Intl, no clock: pure and deterministic, so
 * safe inside a Temporal workflow.
 *
 * 第十一条(四): times are compared to the second ("系统精确到秒").
 */

/** One second in ms: the precision of 第十一条(四). */
export const SECOND = 1000;
/** One minute in ms. */
export const MINUTE = 60 * SECOND;
/** One natural hour in ms (第八条(一) 3 h, 第八条(三)1 24 h, 第十一条(一) 特急 1 h). */
export const HOUR = 60 * MINUTE;
/** One day in ms: a working day of 第十一条 is 24 h of running clock. */
export const DAY = 24 * HOUR;

/** Asia/Shanghai is UTC+8 all year. */
const SHANGHAI_OFFSET = 8 * HOUR;

/** A calendar day of Asia/Shanghai, `YYYY-MM-DD`. */
export type DateKey = string;

/** A month, `YYYY-MM`. */
export type MonthKey = string;

const DATE_KEY = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH_KEY = /^(\d{4})-(\d{2})$/;

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** 第十一条: whether `s` is a real calendar date written `YYYY-MM-DD` (e.g. `2026-02-30` is not). */
export function isDateKey(s: string): boolean {
  const m = DATE_KEY.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

/** 第十一条: splits a `DateKey` into numbers; throws `RangeError` on anything that is not a real date. */
export function parseDateKey(date: DateKey): { year: number; month: number; day: number } {
  if (!isDateKey(date)) throw new RangeError(`not a date (YYYY-MM-DD): ${JSON.stringify(date)}`);
  return { year: Number(date.slice(0, 4)), month: Number(date.slice(5, 7)), day: Number(date.slice(8, 10)) };
}

/** 第二十八条, 第三十一条: splits a `MonthKey` (`YYYY-MM`); throws `RangeError` on anything else. */
export function parseMonthKey(month: MonthKey): { year: number; month: number } {
  const m = MONTH_KEY.exec(month);
  const mo = m ? Number(m[2]) : 0;
  if (!m || mo < 1 || mo > 12) throw new RangeError(`not a month (YYYY-MM): ${JSON.stringify(month)}`);
  return { year: Number(m[1]), month: mo };
}

/** 第十一条: the `DateKey` of year/month/day (month 1–12; days out of range roll over, as in `Date.UTC`). */
export function dateKeyOf(year: number, month: number, day: number): DateKey {
  const t = new Date(Date.UTC(year, month - 1, day));
  return `${pad(t.getUTCFullYear(), 4)}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
}

/** 第十一条(四): the Asia/Shanghai calendar day an instant falls on. */
export function shanghaiDate(instant: Date): DateKey {
  const t = new Date(instant.getTime() + SHANGHAI_OFFSET);
  return `${pad(t.getUTCFullYear(), 4)}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
}

/** 第十一条: 00:00 Asia/Shanghai of `date`, as an instant (a working day starts here). */
export function startOfShanghaiDay(date: DateKey): Date {
  const { year, month, day } = parseDateKey(date);
  return new Date(Date.UTC(year, month - 1, day) - SHANGHAI_OFFSET);
}

/** 第十一条, 第二十八条, 第三十一条: the end of `date` (24:00 Asia/Shanghai), i.e. the instant 00:00 of the next day. "By the end of the 5th" = this. */
export function endOfShanghaiDay(date: DateKey): Date {
  return new Date(startOfShanghaiDay(date).getTime() + DAY);
}

/** 第十一条: whether `instant` is exactly 00:00:00.000 Asia/Shanghai (a day boundary). */
export function isDayBoundary(instant: Date): boolean {
  return (instant.getTime() + SHANGHAI_OFFSET) % DAY === 0;
}

/** 第十一条: `date` moved by `days` calendar days (negative: earlier). */
export function addCalendarDays(date: DateKey, days: number): DateKey {
  const { year, month, day } = parseDateKey(date);
  return dateKeyOf(year, month, day + days);
}

/** 第十一条: day of the week of `date`: 0 Sunday … 6 Saturday. */
export function weekdayOf(date: DateKey): number {
  const { year, month, day } = parseDateKey(date);
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay();
}

/** 第十一条: Saturday or Sunday (a rest day unless the arrangement makes it a make-up working day). */
export function isWeekend(date: DateKey): boolean {
  const w = weekdayOf(date);
  return w === 0 || w === 6;
}

/** 第十一条: every `DateKey` from `from` to `to`, both included (empty when `to` is before `from`). */
export function datesBetween(from: DateKey, to: DateKey): DateKey[] {
  const out: DateKey[] = [];
  for (let d = from; d <= to; d = addCalendarDays(d, 1)) out.push(d);
  return out;
}

/** 第二十八条 (上月), 第三十一条(一) (考核月度选择上月): the month before `month` (`2026-01` → `2025-12`). */
export function previousMonth(month: MonthKey): MonthKey {
  const { year, month: m } = parseMonthKey(month);
  return m === 1 ? `${pad(year - 1, 4)}-12` : `${pad(year, 4)}-${pad(m - 1)}`;
}

/** 第八条(一)(三)1, 第十四条, 第二十九条: `instant` plus `hours` natural hours. */
export function addHours(instant: Date, hours: number): Date {
  return new Date(instant.getTime() + hours * HOUR);
}

/** An instant truncated to its second, 第十一条(四) "系统精确到秒". */
export function toSecond(instant: Date): number {
  return Math.floor(instant.getTime() / SECOND);
}

/**
 * 第十一条(四): whether something done at `at` missed the deadline `dueAt`, compared to the second. Done exactly at the
 * deadline (same second) is on time; one second later is late.
 */
export function isLate(dueAt: Date, at: Date): boolean {
  return toSecond(at) > toSecond(dueAt);
}
