/**
 * The times of a dispatch (派单) from the hotline platform: spec decision "times that cannot be true" (第十一条(四)). The
 * platform's clock may run a little ahead of ours (`dispatchClockSkewMinutes`); a dispatch time further in the future
 * cannot be true and is refused, and so is a ticket that reached the unit before it reached the Commission.
 *
 * Pure; imports no calendar.
 */
import { DEFAULT_PARAMETERS, type Parameters } from './parameters';
import { isLate, MINUTE } from './time';
import { verdict, type Verdict, type Violation } from './types';

/**
 * Spec decision "times that cannot be true" (第十一条(四), 第八条(一)): `dispatchedAt` (to the Commission, starts the
 * handling clock) and `dispatchedToUnitAt` (to the unit, starts the acceptance clock) may be at most
 * `dispatchClockSkewMinutes` later than `now`, compared to the second; and `dispatchedToUnitAt` is not before
 * `dispatchedAt` (the same check, to the millisecond, as the dispatch schema of the API). Every violation at once.
 */
export function checkDispatchTimes(
  d: { dispatchedAt: Date; dispatchedToUnitAt: Date },
  now: Date,
  params: Parameters = DEFAULT_PARAMETERS,
): Verdict {
  const skew = params.dispatchClockSkewMinutes.value;
  const latest = new Date(now.getTime() + skew * MINUTE);
  const v: Violation[] = [];
  if (isLate(latest, d.dispatchedAt))
    v.push({
      rule: 'dispatch.future-time',
      article: '第十一条(四)',
      reason: `平台派单至我委的时间晚于当前时间（允许时钟误差${skew}分钟），不可能属实。`,
      field: 'dispatchedAt',
    });
  if (isLate(latest, d.dispatchedToUnitAt))
    v.push({
      rule: 'dispatch.future-time',
      article: '第八条(一)',
      reason: `工单派至承办单位的时间晚于当前时间（允许时钟误差${skew}分钟），不可能属实。`,
      field: 'dispatchedToUnitAt',
    });
  if (d.dispatchedToUnitAt.getTime() < d.dispatchedAt.getTime())
    v.push({
      rule: 'dispatch.order',
      article: '第十一条(四)',
      reason: '工单派至承办单位的时间早于平台派单至我委的时间，不可能属实（工单先到我委，后到承办单位）。',
      field: 'dispatchedToUnitAt',
    });
  return verdict(v);
}
