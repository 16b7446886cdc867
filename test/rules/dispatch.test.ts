import { checkDispatchTimes } from '../../rules/dispatch';
import { withOverrides } from '../../rules/parameters';
import type { Verdict } from '../../rules/types';
import { plusSeconds, sh } from './support';

const now = sh('2026-10-09 09:00');
const rules = (v: Verdict) => (v.ok ? [] : v.violations.map((x) => `${x.field} ${x.article} ${x.rule}`));
const times = (dispatchedAt: Date, dispatchedToUnitAt: Date = dispatchedAt) => ({ dispatchedAt, dispatchedToUnitAt });

describe('第十一条(四) (spec decision "times that cannot be true"): dispatch times', () => {
  it.each([
    ['第十一条(四): dispatched an hour ago, reached the unit 5 minutes later', times(sh('2026-10-09 08:00'), sh('2026-10-09 08:05')), []],
    ['第十一条(四): dispatched and reached the unit at the same second', times(sh('2026-10-09 08:00')), []],
    ['第十一条(四): dispatched now', times(now), []],
    ['第十一条(四): 5 minutes ahead (the platform’s clock skew) is accepted', times(plusSeconds(now, 300)), []],
    ['第十一条(四): 5 minutes ahead within the same second (+999 ms) is accepted', times(new Date(now.getTime() + 300_999)), []],
    [
      '第十一条(四): 5 minutes and 1 second ahead is refused, both times named',
      times(plusSeconds(now, 301)),
      ['dispatchedAt 第十一条(四) dispatch.future-time', 'dispatchedToUnitAt 第八条(一) dispatch.future-time'],
    ],
    ['第八条(一): reached the unit tomorrow', times(sh('2026-10-09 08:00'), sh('2026-10-10 08:00')), ['dispatchedToUnitAt 第八条(一) dispatch.future-time']],
    ['第十一条(四): reached the unit before the Commission', times(sh('2026-10-09 08:00'), sh('2026-10-09 07:59:59')), ['dispatchedToUnitAt 第十一条(四) dispatch.order']],
    ['第十一条(四): reached the unit 1 ms before the Commission (the API schema compares to the millisecond)', times(new Date(now.getTime() - 1000), new Date(now.getTime() - 1001)), ['dispatchedToUnitAt 第十一条(四) dispatch.order']],
    [
      '第十一条(四): every violation at once',
      times(sh('2026-10-10 09:00'), sh('2026-10-09 12:00')),
      ['dispatchedAt 第十一条(四) dispatch.future-time', 'dispatchedToUnitAt 第八条(一) dispatch.future-time', 'dispatchedToUnitAt 第十一条(四) dispatch.order'],
    ],
  ] as [string, { dispatchedAt: Date; dispatchedToUnitAt: Date }, string[]][])('%s', (_, d, expected) => {
    expect(rules(checkDispatchTimes(d, now))).toEqual(expected);
  });

  it('第十一条(四): the clock skew is a parameter (0: one second ahead is refused; 60: 59 minutes ahead is accepted)', () => {
    expect(rules(checkDispatchTimes(times(plusSeconds(now, 1)), now, withOverrides({ dispatchClockSkewMinutes: 0 })))).toEqual([
      'dispatchedAt 第十一条(四) dispatch.future-time',
      'dispatchedToUnitAt 第八条(一) dispatch.future-time',
    ]);
    expect(checkDispatchTimes(times(plusSeconds(now, 59 * 60)), now, withOverrides({ dispatchClockSkewMinutes: 60 })).ok).toBe(true);
  });

  it('第十一条(四): each refusal gives a Chinese reason naming the skew', () => {
    const v = checkDispatchTimes(times(sh('2026-10-10 09:00')), now);
    expect(v.ok ? '' : v.violations[0]!.reason).toMatch(/5分钟.*不可能属实/);
  });
});
