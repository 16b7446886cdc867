import fc from 'fast-check';
import { createWorkingCalendar } from '../../rules/calendar';
import {
  addWorkingDays,
  addWorkingTime,
  advanceWorkingClock,
  clockStartAt,
  nextWorkingDay,
  previousWorkingDay,
  workingDayOnOrAfter,
  workingDayOnOrBefore,
  workingTimeBetween,
  type DayOracle,
} from '../../rules/clock';
import { DAY, HOUR, isDayBoundary, shanghaiDate, startOfShanghaiDay } from '../../rules/time';
import { calendar, sh } from './support';

describe('第十一条 working-day clock (spec decision): examples', () => {
  it.each([
    ['第十一条: within one working day', '2026-09-29 09:00', 5 * HOUR, '2026-09-29 14:00'],
    ['第十一条: across midnight into the next working day', '2026-09-29 20:00', 6 * HOUR, '2026-09-30 02:00'],
    ['第十一条: the National Day holiday does not count', '2026-09-30 16:00', 9 * HOUR, '2026-10-08 01:00'],
    ['第十一条: started on a holiday, the clock starts at 00:00 of the next working day', '2026-10-03 10:00', 3 * HOUR, '2026-10-08 03:00'],
    ['第十一条: the make-up working day 2026-10-10 counts', '2026-10-09 12:00', 24 * HOUR, '2026-10-10 12:00'],
    ['第十一条: the make-up working day 2026-02-14 counts, 春节 does not', '2026-02-13 18:00', 31 * HOUR, '2026-02-24 01:00'],
    ['第十一条: ending exactly at the end of the make-up day 2026-02-14 gives 00:00 of a 春节 day', '2026-02-13 18:00', 30 * HOUR, '2026-02-15 00:00'],
    ['第十一条: running out exactly at the end of a day gives that day boundary', '2026-10-09 00:00', 2 * DAY, '2026-10-11 00:00'],
    ['第十一条: year boundary 2026→2027 (2027-01-01 statutory holiday)', '2026-12-31 10:00', DAY, '2027-01-04 10:00'],
  ])('%s', (_, start, ms, expected) => {
    expect(addWorkingTime(calendar, sh(start), ms)).toEqual(sh(expected));
  });

  it('第十一条: zero working time is the start itself', () => {
    expect(addWorkingTime(calendar, sh('2026-10-03 10:00'), 0)).toEqual(sh('2026-10-03 10:00'));
  });

  it('第十一条: negative working time is refused', () => {
    expect(() => addWorkingTime(calendar, sh('2026-10-09 10:00'), -1)).toThrow(RangeError);
  });

  it('第十一条: provisional when the clock runs over a year without published arrangement', () => {
    expect(advanceWorkingClock(calendar, sh('2026-12-31 10:00'), DAY)).toEqual({ at: sh('2027-01-04 10:00'), provisional: true });
    expect(advanceWorkingClock(calendar, sh('2026-12-30 10:00'), HOUR).provisional).toBe(false);
  });

  it('第十一条(四): the clock of a ticket dispatched on a rest day starts at 00:00 of the next working day', () => {
    expect(clockStartAt(calendar, sh('2026-10-03 10:00'))).toEqual(sh('2026-10-08'));
    expect(clockStartAt(calendar, sh('2026-10-09 10:00'))).toEqual(sh('2026-10-09 10:00'));
    expect(clockStartAt(calendar, sh('2026-02-13 23:59:59'))).toEqual(sh('2026-02-13 23:59:59'));
  });

  it('第十一条: working time between two instants skips rest days', () => {
    expect(workingTimeBetween(calendar, sh('2026-09-30 16:00'), sh('2026-10-13 16:00'))).toBe(5 * DAY);
    expect(workingTimeBetween(calendar, sh('2026-10-01'), sh('2026-10-08'))).toBe(0);
    expect(workingTimeBetween(calendar, sh('2026-10-09'), sh('2026-10-08'))).toBe(0);
  });

  const seekers = { nextWorkingDay, previousWorkingDay, workingDayOnOrAfter, workingDayOnOrBefore };
  it.each([
    ['nextWorkingDay', '2026-09-30', '2026-10-08'],
    ['nextWorkingDay', '2026-10-09', '2026-10-10'],
    ['nextWorkingDay', '2026-02-13', '2026-02-14'],
    ['previousWorkingDay', '2026-10-08', '2026-09-30'],
    ['previousWorkingDay', '2026-01-05', '2026-01-04'],
    ['previousWorkingDay', '2027-01-04', '2026-12-31'],
    ['workingDayOnOrAfter', '2026-10-06', '2026-10-08'],
    ['workingDayOnOrAfter', '2026-10-08', '2026-10-08'],
    ['workingDayOnOrBefore', '2026-05-05', '2026-04-30'],
    ['workingDayOnOrBefore', '2026-09-20', '2026-09-20'],
  ] as [keyof typeof seekers, string, string][])('第十一条: %s(%s) = %s', (name, date, expected) => {
    expect(seekers[name](calendar, date)).toBe(expected);
  });

  it('第十一条: a calendar without any working day is an error, not an endless loop', () => {
    const never: DayOracle = {
      dayInfo: (d) => ({ date: typeof d === 'string' ? d : shanghaiDate(d), working: false, kind: 'holiday', source: 'override', provisional: false }),
    };
    expect(() => addWorkingDays(never, sh('2026-10-09'), 1)).toThrow(RangeError);
    expect(() => nextWorkingDay(never, '2026-10-09')).toThrow(RangeError);
  });
});

const START = sh('2025-01-01').getTime();
const END = sh('2027-12-31').getTime();
/** Instants 2025–2027 with a bias towards day boundaries and whole hours. */
const instant = fc.oneof(
  fc.integer({ min: START, max: END }),
  fc.integer({ min: 0, max: (END - START) / DAY }).map((d) => START + d * DAY),
  fc.integer({ min: 0, max: (END - START) / HOUR }).map((h) => START + h * HOUR),
).map((t) => new Date(t));

describe('第十一条 working-day clock (spec decision): properties', () => {
  it('第十一条: adding N working days never lands inside a rest day unless exactly at a day boundary, and runs exactly N×24 h of clock', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 30 }), (start, n) => {
        const end = addWorkingDays(calendar, start, n);
        expect(isDayBoundary(end) || calendar.isWorkingDay(end)).toBe(true);
        expect(workingTimeBetween(calendar, start, end)).toBe(n * DAY);
      }),
      { numRuns: 300 },
    );
  });

  it('第十一条: monotonic in N (more working days → strictly later)', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 20 }), (start, a, b) => {
        fc.pre(a !== b);
        const [lo, hi] = a < b ? [a, b] : [b, a];
        expect(addWorkingDays(calendar, start, lo).getTime()).toBeLessThan(addWorkingDays(calendar, start, hi).getTime());
      }),
      { numRuns: 200 },
    );
  });

  it('第十一条: monotonic in the start time (later dispatch → never an earlier deadline)', () => {
    fc.assert(
      fc.property(instant, instant, fc.integer({ min: 1, max: 10 }), (a, b, n) => {
        const [s1, s2] = a <= b ? [a, b] : [b, a];
        expect(addWorkingDays(calendar, s1, n).getTime()).toBeLessThanOrEqual(addWorkingDays(calendar, s2, n).getTime());
      }),
      { numRuns: 200 },
    );
  });

  it('第十一条 calendar years: overrides are honoured, and the clock never lands inside an overridden rest day', () => {
    const day = fc.integer({ min: 0, max: (END - START) / DAY }).map((d) => shanghaiDate(new Date(START + d * DAY)));
    fc.assert(
      fc.property(fc.uniqueArray(day, { minLength: 1, maxLength: 10 }), fc.boolean(), instant, fc.integer({ min: 1, max: 10 }), (dates, working, start, n) => {
        const cal = createWorkingCalendar({ overrides: dates.map((date) => ({ date, working })) });
        for (const date of dates) expect(cal.dayInfo(date)).toMatchObject({ working, source: 'override', provisional: false });
        const end = addWorkingDays(cal, start, n);
        expect(isDayBoundary(end) || cal.isWorkingDay(end)).toBe(true);
        if (!working)
          for (const date of dates) {
            const t = end.getTime();
            const inside = t > startOfShanghaiDay(date).getTime() && t < startOfShanghaiDay(date).getTime() + DAY;
            expect(inside).toBe(false);
          }
      }),
      { numRuns: 150 },
    );
  });
});
