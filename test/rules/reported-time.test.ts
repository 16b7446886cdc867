import { checkReportedTime } from '../../rules/reported-time';
import { plusSeconds, sh } from './support';

const span = { from: sh('2026-10-09 09:05'), to: sh('2026-10-09 15:00') };
const check = (at: Date | undefined) => checkReportedTime(at, span, 'at', '第十一条', '与反映人联系的时间');

describe('第十一条/第十三条/第十四条 (spec decision "who states the facts"): a reported time lies between the arrival at the unit and now', () => {
  it.each([
    ['第十一条: at the second of the arrival at the unit', span.from],
    ['第十一条: in between', sh('2026-10-09 12:00')],
    ['第十一条: at the second of the request', span.to],
    ['第十一条: within the last second (+999 ms)', new Date(span.to.getTime() + 999)],
  ])('%s is accepted', (_, at) => {
    expect(check(at)).toEqual([]);
  });

  it.each([
    ['第十一条: one second before the arrival at the unit', plusSeconds(span.from, -1), 'reported-time.before-arrival', '早于工单派至承办单位的时间'],
    ['第十一条: one second after now', plusSeconds(span.to, 1), 'reported-time.future', '晚于当前时间'],
    ['第十一条: missing', undefined, 'reported-time.missing', '应注明与反映人联系的时间'],
  ])('%s is refused, naming the field and the article', (_, at, rule, reason) => {
    const v = check(at);
    expect(v).toHaveLength(1);
    expect(v[0]).toMatchObject({ rule, article: '第十一条', field: 'at' });
    expect(v[0]!.reason).toContain(reason);
  });

  it('第十一条: without a known arrival at the unit only the upper bound is checked', () => {
    expect(checkReportedTime(sh('2020-01-01'), { to: span.to }, 'at', '第十一条', '联系时间')).toEqual([]);
    expect(checkReportedTime(plusSeconds(span.to, 1), { to: span.to }, 'at', '第十一条', '联系时间')).toEqual([
      expect.objectContaining({ rule: 'reported-time.future' }),
    ]);
  });

  it('第十一条: the reason shows both times in Asia/Shanghai time', () => {
    expect(check(sh('2026-10-09 08:59:30'))[0]!.reason).toBe('与反映人联系的时间（2026-10-09 08:59:30）早于工单派至承办单位的时间（2026-10-09 09:05:00），不可能属实。');
  });

  it('第十四条: the caller keeps its own rule id', () => {
    expect(checkReportedTime(sh('2026-10-10 09:00'), span, 'reporterContactedAt', '第十四条', '与反映人联系的时间', 'extension.contact-time')).toEqual([
      expect.objectContaining({ rule: 'extension.contact-time', article: '第十四条', field: 'reporterContactedAt' }),
    ]);
  });
});
