/** Shared helpers of the rule-layer tests. */
import { createWorkingCalendar } from '../../rules/calendar';

/** An instant written in Asia/Shanghai local time: `sh('2026-09-30 16:00')`, `sh('2026-10-11')`, `sh('2026-10-13 16:00:01')`. */
export function sh(local: string): Date {
  const [date, time = '00:00'] = local.split(' ');
  const withSeconds = time.length === 5 ? `${time}:00` : time;
  const d = new Date(`${date}T${withSeconds}+08:00`);
  if (Number.isNaN(d.getTime())) throw new Error(`bad test instant ${local}`);
  return d;
}

/** The calendar from the data package alone (no administrator overrides). */
export const calendar = createWorkingCalendar();

export const plusSeconds = (d: Date, s: number) => new Date(d.getTime() + s * 1000);
