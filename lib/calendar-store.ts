/**
 * The working calendar as the system uses it: the data package plus the administrator's overrides and loaded years,
 * stored in PostgreSQL (CalendarOverride, CalendarYear). Read fresh on each use: loading a year takes effect at once.
 */
import { createWorkingCalendar, type TransportCalendar } from '../rules/calendar';
import type { DateKey } from '../rules/time';
import type { Db } from './db';

export async function loadCalendar(db: Db): Promise<TransportCalendar> {
  const [overrides, years] = await Promise.all([db.calendarOverride.findMany(), db.calendarYear.findMany()]);
  return createWorkingCalendar({
    overrides: overrides.map((o) => ({ date: o.date as DateKey, working: o.working, ...(o.name ? { name: o.name } : {}) })),
    loadedYears: years.map((y) => y.year),
  });
}
