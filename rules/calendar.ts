/**
 * The working calendar of the SLA clock (第十一条, spec decisions "working days" and "calendar years").
 *
 * - A year is *published* when the `chinese-days` data package holds the State Council arrangement for it, or when an
 *   administrator has loaded it. Its days come from that arrangement (holidays, weekends, make-up working days 调休).
 * - Administrator overrides (`{date, working, name?}`) win over everything, in any year.
 * - A year without a published arrangement falls back to the statutory holidays of 《全国年节及纪念日放假办法》 as
 *   amended in 2024 (元旦 1 day; 春节 4 days = 除夕 + 正月初一–初三; 清明 1 day; 劳动节 5/1–5/2; 端午 lunar 5/5; 中秋
 *   lunar 8/15; 国庆 10/1–10/3) plus weekends, without 调休, and every such day is `provisional`. An unknown holiday is
 *   never a working day: 2027-01-01 is a rest day even before the 2027 arrangement is loaded.
 *
 * This is the only module of the rule layer that imports `chinese-days` (holiday data and lunar conversion).
 */
import { getLunarDate, getSolarTermDate } from 'chinese-days';
import holidayData from 'chinese-days/dist/chinese-days.json';
import { z } from 'zod';
import type { DayInfo, DayKind, WorkingCalendar } from './clock';
import { addCalendarDays, dateKeyOf, datesBetween, HOUR, isDateKey, isWeekend, shanghaiDate, type DateKey } from './time';

/** An administrator's correction of one day (loaded from the database; `PUT /api/v1/calendar/:year`). */
export interface CalendarOverride {
  date: DateKey;
  working: boolean;
  name?: string;
}

/** What the calendar is built from, besides the data package. */
export interface CalendarOptions {
  /** Administrator overrides, one per day at most. */
  overrides?: readonly CalendarOverride[];
  /** Years whose State Council arrangement an administrator has loaded (their days are then `published`). */
  loadedYears?: readonly number[];
}

/** A year's holidays and make-up working days, for `GET /api/v1/calendar/:year`. */
export interface YearArrangement {
  year: number;
  published: boolean;
  /** No published arrangement: the days are the statutory holidays only (spec decision "calendar years"). */
  provisional: boolean;
  /** Holidays, make-up working days and overridden days (plus weekends when asked for), in date order. */
  days: DayInfo[];
}

/** The calendar built by `createWorkingCalendar`. */
export interface TransportCalendar extends WorkingCalendar {
  /** 第十一条: a year's rest and make-up days (`includeWeekends` adds the ordinary weekends). */
  yearArrangement(year: number, options?: { includeWeekends?: boolean }): YearArrangement;
}

type DayTable = Record<string, string>;
const PUBLISHED_HOLIDAYS: DayTable = (holidayData as { holidays: DayTable }).holidays;
const PUBLISHED_WORKDAYS: DayTable = (holidayData as { workdays: DayTable }).workdays;

/** The years for which the data package holds the State Council arrangement. */
export const DATA_PACKAGE_YEARS: readonly number[] = Object.freeze(
  [...new Set(Object.keys(PUBLISHED_HOLIDAYS).map((d) => Number(d.slice(0, 4))))].sort((a, b) => a - b),
);

/** `chinese-days` names days `English,中文,days`: keep the Chinese name. */
function chineseName(entry: string): string {
  return entry.split(',')[1] ?? entry;
}

const overridesSchema = z
  .object({
    overrides: z
      .array(
        z.strictObject({
          date: z.string().refine(isDateKey, 'expected a real date YYYY-MM-DD'),
          working: z.boolean(),
          name: z.string().trim().min(1).optional(),
        }),
      )
      .default([]),
    loadedYears: z.array(z.number().int().min(1949).max(2200)).default([]),
  })
  .strict();

/** The Asia/Shanghai noon of `date`: an instant whose day count from any fixed instant is exact (lunar conversion). */
function noonOf(date: DateKey): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d) + 4 * HOUR);
}

/**
 * The 清明 solar-term day of `year`. `getSolarTermDate` parses its own result as UTC midnight and formats it with local
 * getters, so west of UTC it answers one day early; the true day is the one that prints as its answer in this process.
 */
function qingmingDay(year: number): DateKey {
  const answer = getSolarTermDate(year, 4, 'pure_brightness');
  const asPrinted = (date: DateKey): DateKey => {
    const [y, m, d] = date.split('-').map(Number) as [number, number, number];
    const t = new Date(Date.UTC(y, m - 1, d));
    return dateKeyOf(t.getFullYear(), t.getMonth() + 1, t.getDate());
  };
  const next = addCalendarDays(answer, 1);
  return asPrinted(answer) === answer ? answer : asPrinted(next) === answer ? next : answer;
}

const statutoryCache = new Map<number, ReadonlyMap<DateKey, string>>();

/**
 * The statutory holidays of 《全国年节及纪念日放假办法》 (as amended 2024, in force 2025-01-01) for `year`, without any
 * State Council 调休 arrangement: 元旦 1/1; 春节 农历除夕 (the day before 正月初一) to 正月初三; 清明 (solar-term day);
 * 劳动节 5/1–5/2; 端午 农历五月初五; 中秋 农历八月十五; 国庆 10/1–10/3. Lunar dates of the leap month do not count.
 */
export function statutoryHolidays(year: number): ReadonlyMap<DateKey, string> {
  const cached = statutoryCache.get(year);
  if (cached) return cached;
  const days = new Map<DateKey, string>();
  const add = (date: DateKey, name: string) => days.set(date, days.has(date) ? `${days.get(date)}、${name}` : name);
  add(dateKeyOf(year, 1, 1), '元旦');
  for (const date of datesBetween(dateKeyOf(year, 1, 1), dateKeyOf(year, 12, 31))) {
    const lunar = getLunarDate(noonOf(date));
    if (lunar.isLeap) continue;
    if (lunar.lunarMon === 1 && lunar.lunarDay === 1) {
      add(addCalendarDays(date, -1), '春节（除夕）');
      for (let i = 0; i < 3; i++) add(addCalendarDays(date, i), '春节');
    } else if (lunar.lunarMon === 5 && lunar.lunarDay === 5) add(date, '端午节');
    else if (lunar.lunarMon === 8 && lunar.lunarDay === 15) add(date, '中秋节');
  }
  add(qingmingDay(year), '清明节');
  add(dateKeyOf(year, 5, 1), '劳动节');
  add(dateKeyOf(year, 5, 2), '劳动节');
  for (let d = 1; d <= 3; d++) add(dateKeyOf(year, 10, d), '国庆节');
  const sorted = new Map([...days].sort(([a], [b]) => (a < b ? -1 : 1)));
  statutoryCache.set(year, sorted);
  return sorted;
}

function kindOf(date: DateKey, working: boolean, named: boolean): DayKind {
  const weekend = isWeekend(date);
  if (working) return weekend ? 'make-up-workday' : 'workday';
  return weekend && !named ? 'weekend' : 'holiday';
}

function info(date: DateKey, working: boolean, name: string | undefined, source: DayInfo['source']): DayInfo {
  const day: DayInfo = {
    date,
    working,
    kind: kindOf(date, working, name !== undefined),
    source,
    provisional: source === 'statutory-provisional',
  };
  if (name !== undefined) day.name = name;
  return day;
}

/**
 * Builds the working calendar of 第十一条 from the `chinese-days` data package and an administrator's overrides (spec
 * decisions "working days", "calendar years"). Options are validated: a malformed date, a duplicate override or a
 * nonsensical year throws.
 */
export function createWorkingCalendar(options: CalendarOptions = {}): TransportCalendar {
  const parsed = overridesSchema.parse(options);
  const overrides = new Map<DateKey, CalendarOverride>();
  for (const o of parsed.overrides) {
    if (overrides.has(o.date)) throw new RangeError(`calendar override given twice for ${o.date}`);
    overrides.set(o.date, o);
  }
  const published = new Set<number>([...DATA_PACKAGE_YEARS, ...parsed.loadedYears]);
  const inDataPackage = new Set<number>(DATA_PACKAGE_YEARS);

  function dayInfo(date: DateKey | Date): DayInfo {
    const key = typeof date === 'string' ? date : shanghaiDate(date);
    if (!isDateKey(key)) throw new RangeError(`not a date (YYYY-MM-DD): ${JSON.stringify(key)}`);
    const override = overrides.get(key);
    if (override) return info(key, override.working, override.name, 'override');
    const year = Number(key.slice(0, 4));
    if (published.has(year)) {
      if (inDataPackage.has(year)) {
        const makeUp = PUBLISHED_WORKDAYS[key];
        if (makeUp !== undefined) return info(key, true, `${chineseName(makeUp)}调休上班`, 'published');
        const holiday = PUBLISHED_HOLIDAYS[key];
        if (holiday !== undefined) return info(key, false, chineseName(holiday), 'published');
      }
      return info(key, !isWeekend(key), undefined, 'published');
    }
    const statutory = statutoryHolidays(year).get(key);
    if (statutory !== undefined) return info(key, false, statutory, 'statutory-provisional');
    return info(key, !isWeekend(key), undefined, 'statutory-provisional');
  }

  return {
    dayInfo,
    isWorkingDay: (date) => dayInfo(date).working,
    isPublishedYear: (year) => published.has(year),
    yearArrangement(year, { includeWeekends = false } = {}) {
      const days = datesBetween(dateKeyOf(year, 1, 1), dateKeyOf(year, 12, 31))
        .map(dayInfo)
        .filter((d) => d.source === 'override' || d.kind === 'holiday' || d.kind === 'make-up-workday' || (includeWeekends && d.kind === 'weekend'));
      return { year, published: published.has(year), provisional: !published.has(year), days };
    },
  };
}
