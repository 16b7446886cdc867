/**
 * The working-day clock of 第十一条 (spec decision "working days"): the SLA clock runs only during working days, whole days
 * 00:00–24:00 Asia/Shanghai; N working days = N×24 h of running clock; a clock started on a rest day starts at 00:00 of
 * the next working day.
 *
 * This module works on any `WorkingCalendar` and imports no holiday data, so a workflow can use it with a calendar built
 * elsewhere (see `./calendar` for the one built from the State Council arrangement).
 */
import { addCalendarDays, DAY, endOfShanghaiDay, shanghaiDate, startOfShanghaiDay, type DateKey } from './time';

/** Where a day's status comes from: the published arrangement, an administrator's override, or the statutory fallback. */
export type DaySource = 'published' | 'override' | 'statutory-provisional';

/** What a day is: an ordinary working day, a weekend, a holiday (rest), or a make-up working day (调休上班). */
export type DayKind = 'workday' | 'weekend' | 'holiday' | 'make-up-workday';

/** One calendar day of Asia/Shanghai, as the working-day clock of 第十一条 sees it. */
export interface DayInfo {
  date: DateKey;
  /** The SLA clock runs on this day. */
  working: boolean;
  kind: DayKind;
  /** Holiday name (元旦, 春节 …), `…调休上班` for a make-up working day; absent on ordinary days. */
  name?: string;
  source: DaySource;
  /** The day's status is computed from the statutory holidays only: its year has no published arrangement yet. */
  provisional: boolean;
}

/** A working calendar (第十一条, spec decision "working days"). */
export interface WorkingCalendar {
  /** The status of one day (a `Date` is read as its Asia/Shanghai day). */
  dayInfo(date: DateKey | Date): DayInfo;
  /** Whether the SLA clock runs on that day. */
  isWorkingDay(date: DateKey | Date): boolean;
  /** Whether the State Council arrangement of `year` is known (data package or loaded by an administrator). */
  isPublishedYear(year: number): boolean;
}

/** The calendar part the clock needs. */
export type DayOracle = Pick<WorkingCalendar, 'dayInfo'>;

/** A clock result and whether any day it relied on was provisional. */
export interface ClockResult {
  at: Date;
  provisional: boolean;
}

/** No real calendar has this many rest days in a row; guards against a calendar that never works. */
const MAX_REST_RUN = 400;

function toKey(date: DateKey | Date): DateKey {
  return typeof date === 'string' ? date : shanghaiDate(date);
}

function seek(cal: DayOracle, from: DateKey, step: 1 | -1, includeFrom: boolean): { date: DateKey; provisional: boolean } {
  let provisional = false;
  let d = includeFrom ? from : addCalendarDays(from, step);
  for (let i = 0; i <= MAX_REST_RUN; i++, d = addCalendarDays(d, step)) {
    const info = cal.dayInfo(d);
    provisional ||= info.provisional;
    if (info.working) return { date: d, provisional };
  }
  throw new RangeError(`no working day within ${MAX_REST_RUN} days of ${from}`);
}

/** 第十一条 working days: the first working day strictly after `date`. */
export function nextWorkingDay(cal: DayOracle, date: DateKey | Date): DateKey {
  return seek(cal, toKey(date), 1, false).date;
}

/** 第十一条 working days: the last working day strictly before `date`. */
export function previousWorkingDay(cal: DayOracle, date: DateKey | Date): DateKey {
  return seek(cal, toKey(date), -1, false).date;
}

/** `date` itself when it is a working day, else the next working day (第二十八条 "顺延至第一个工作日"). */
export function workingDayOnOrAfter(cal: DayOracle, date: DateKey | Date): DateKey {
  return seek(cal, toKey(date), 1, true).date;
}

/** `date` itself when it is a working day, else the previous working day (第三十一条(四) "应提前填报"). */
export function workingDayOnOrBefore(cal: DayOracle, date: DateKey | Date): DateKey {
  return seek(cal, toKey(date), -1, true).date;
}

/**
 * 第十一条(四) with the spec's working-day clock: the instant at which `ms` of running clock have elapsed since `start`.
 * The clock runs only on working days (whole days, 00:00–24:00 Asia/Shanghai); started on a rest day it starts at 00:00
 * of the next working day. When the clock runs out exactly at the end of a working day the result is that day boundary
 * (00:00 of the next day, which may be a rest day). `provisional` when any day consulted was provisional.
 */
export function advanceWorkingClock(cal: DayOracle, start: Date, ms: number): ClockResult {
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`working time must be a non-negative number of ms: ${ms}`);
  let at = start.getTime();
  let remaining = ms;
  let provisional = false;
  let restRun = 0;
  for (;;) {
    if (remaining === 0) return { at: new Date(at), provisional };
    const day = shanghaiDate(new Date(at));
    const info = cal.dayInfo(day);
    provisional ||= info.provisional;
    const dayEnd = endOfShanghaiDay(day).getTime();
    if (!info.working) {
      if (++restRun > MAX_REST_RUN) throw new RangeError(`no working day within ${MAX_REST_RUN} days of ${day}`);
      at = dayEnd;
      continue;
    }
    restRun = 0;
    const available = dayEnd - at;
    if (remaining <= available) return { at: new Date(at + remaining), provisional };
    remaining -= available;
    at = dayEnd;
  }
}

/** `advanceWorkingClock(...).at`: the instant `ms` of working time after `start` (第十一条). */
export function addWorkingTime(cal: DayOracle, start: Date, ms: number): Date {
  return advanceWorkingClock(cal, start, ms).at;
}

/** 第十一条(一)–(三): `n` working days after `start` = `n`×24 h of running clock. */
export function addWorkingDays(cal: DayOracle, start: Date, n: number): Date {
  return addWorkingTime(cal, start, n * DAY);
}

/**
 * 第十一条(四): when the SLA clock of a ticket dispatched at `instant` starts running — the instant itself on a working
 * day, else 00:00 of the next working day.
 */
export function clockStartAt(cal: DayOracle, instant: Date): Date {
  const day = shanghaiDate(instant);
  if (cal.dayInfo(day).working) return instant;
  return startOfShanghaiDay(nextWorkingDay(cal, day));
}

/** The running clock (ms of working time) between two instants; 0 when `to` is not after `from` (第十一条). */
export function workingTimeBetween(cal: DayOracle, from: Date, to: Date): number {
  let total = 0;
  let at = from.getTime();
  const end = to.getTime();
  while (at < end) {
    const day = shanghaiDate(new Date(at));
    const dayEnd = endOfShanghaiDay(day).getTime();
    const stop = Math.min(dayEnd, end);
    if (cal.dayInfo(day).working) total += stop - at;
    at = stop;
  }
  return total;
}
