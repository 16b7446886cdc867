import { extensionLatestDueAt } from '../../rules/deadlines';
import { checkExtension, type ExtensionRequest, type ExtensionTicketFacts } from '../../rules/extensions';
import { withOverrides } from '../../rules/parameters';
import type { Verdict } from '../../rules/types';
import { calendar, plusSeconds, sh } from './support';

const due = sh('2026-10-13 16:00');
const arrived = sh('2026-10-09 09:05');
const facts = (over: Partial<ExtensionTicketFacts> = {}): ExtensionTicketFacts => ({
  channel: '12345',
  category: 'complaint',
  currentDueAt: due,
  arrivedAtUnit: arrived,
  ...over,
});
const request = (over: Partial<ExtensionRequest> = {}): ExtensionRequest => ({
  requestedAt: sh('2026-10-12 10:00'),
  requestedDueAt: sh('2026-10-20 16:00'),
  reason: '涉及多家企业的历史遗留收费问题，需调取三年账目核对，受客观条件所限无法在时限内办结。',
  reporterConsent: true,
  reporterContactedAt: sh('2026-10-12 09:30'),
  reporterOpinion: '同意延期至10月20日',
  ...over,
});
const rules = (v: Verdict) => (v.ok ? [] : v.violations.map((x) => `${x.article} ${x.rule}`));

describe('第十四条 extension', () => {
  it('第十四条: a complete request for a complaint, more than one day before the deadline, is allowed (legal basis optional)', () => {
    expect(checkExtension(request(), facts())).toEqual({ ok: true });
    expect(checkExtension(request({ legalBasis: '《天津市客运出租汽车管理条例》' }), facts())).toEqual({ ok: true });
  });

  it.each([
    ['第十四条(一): emergency', facts({ flags: { emergency: true } }), '第十四条(一) extension.forbidden.emergency'],
    ['第十四条(一): sensitive', facts({ flags: { sensitive: true } }), '第十四条(一) extension.forbidden.sensitive'],
    ['第十四条(一): major public opinion', facts({ flags: { majorPublicOpinion: true } }), '第十四条(一) extension.forbidden.majorPublicOpinion'],
    ['第十四条(一): major safety hazard', facts({ flags: { majorSafetyHazard: true } }), '第十四条(一) extension.forbidden.majorSafetyHazard'],
    ['第十四条(二): 12345 consultation', facts({ category: 'consultation' }), '第十四条(二) extension.forbidden.consultation'],
    ['第十四条(二): 12328 WeChat information (信息咨询)', facts({ channel: '12328-wechat', category: 'information' }), '第十四条(二) extension.forbidden.consultation'],
    ['第十四条(二): 政民零距离 consultation', facts({ channel: 'zmlj', category: 'consultation' }), '第十四条(二) extension.forbidden.consultation'],
    ['第十四条(二): 特急', facts({ urgency: 'critical' }), '第十四条(二) extension.forbidden.urgency'],
    ['第十四条(二): 紧急', facts({ urgency: 'urgent' }), '第十四条(二) extension.forbidden.urgency'],
    ['第十四条(二): 急', facts({ urgency: 'expedited' }), '第十四条(二) extension.forbidden.urgency'],
  ] as [string, ExtensionTicketFacts, string][])('%s → refused', (_, f, expected) => {
    expect(rules(checkExtension(request(), f))).toEqual([expected]);
  });

  it('第十四条(二): 12328 WeChat suggestion and 政民零距离 help are not consultation categories', () => {
    expect(checkExtension(request(), facts({ channel: '12328-wechat', category: 'suggestion' })).ok).toBe(true);
    expect(checkExtension(request(), facts({ channel: 'zmlj', category: 'help' })).ok).toBe(true);
  });

  it.each([
    ['第十四条(三): delay caused by the unit itself', request({ causedByUnit: true }), '第十四条(三) extension.forbidden.unit-caused'],
    ['第十四条: without the reporter’s consent', request({ reporterConsent: false }), '第十四条 extension.reporter-consent'],
    ['第十四条: without a reason', request({ reason: ' ' }), '第十四条 extension.reason'],
    ['第十四条: without the time the reporter was contacted', request({ reporterContactedAt: undefined }), '第十四条 extension.contact-time'],
    ['第十四条: with a contact time after the request', request({ reporterContactedAt: sh('2026-10-12 11:00') }), '第十四条 extension.contact-time'],
    ['第十四条: without the reporter’s opinion', request({ reporterOpinion: undefined }), '第十四条 extension.reporter-opinion'],
    ['第十四条: a new deadline not after the current one', request({ requestedDueAt: due }), '第十四条 extension.new-deadline'],
  ] as [string, ExtensionRequest, string][])('%s → refused', (_, r, expected) => {
    expect(rules(checkExtension(r, facts()))).toEqual([expected]);
  });

  it.each([
    ['第十四条: exactly 24 h before the deadline is in time', plusSeconds(due, -24 * 3600), true],
    ['第十四条: 23:59:59 before the deadline is too late', plusSeconds(due, -24 * 3600 + 1), false],
  ])('%s', (_, requestedAt, ok) => {
    const v = checkExtension(request({ requestedAt, reporterContactedAt: plusSeconds(requestedAt, -60) }), facts());
    expect(rules(v)).toEqual(ok ? [] : ['第十四条 extension.lead-time']);
  });

  it('第十四条: the lead time is a parameter', () => {
    const r = request({ requestedAt: sh('2026-10-13 08:00'), reporterContactedAt: sh('2026-10-13 07:00') });
    expect(checkExtension(r, facts()).ok).toBe(false);
    expect(checkExtension(r, facts(), withOverrides({ extensionMinLeadHours: 6 })).ok).toBe(true);
  });

  it('第十四条: every violation at once', () => {
    const v = checkExtension({ requestedAt: sh('2026-10-13 15:00'), requestedDueAt: sh('2026-10-13 15:00'), causedByUnit: true }, facts({ urgency: 'urgent', category: 'consultation', flags: { sensitive: true } }));
    expect(rules(v)).toEqual([
      '第十四条(一) extension.forbidden.sensitive',
      '第十四条(二) extension.forbidden.consultation',
      '第十四条(二) extension.forbidden.urgency',
      '第十四条(三) extension.forbidden.unit-caused',
      '第十四条 extension.lead-time',
      '第十四条 extension.new-deadline',
      '第十四条 extension.reporter-consent',
      '第十四条 extension.reason',
      '第十四条 extension.contact-time',
      '第十四条 extension.reporter-opinion',
    ]);
  });
});

describe('第十四条 (spec decision) the new deadline: later than the current one, at most 10 working days after it', () => {
  // 2026-10-13 16:00 + 10 working days (weekends 10-17/18 and 10-24/25 do not count) = 2026-10-27 16:00.
  const latest = extensionLatestDueAt(due, calendar);

  it('第十四条: the latest new deadline is 10 working days after the current one', () => {
    expect(latest).toEqual(sh('2026-10-27 16:00'));
  });

  it.each([
    ['第十四条: exactly the latest allowed deadline is allowed', sh('2026-10-27 16:00'), []],
    ['第十四条: within the same second (+999 ms) is allowed', new Date(sh('2026-10-27 16:00').getTime() + 999), []],
    ['第十四条: one second after the latest allowed deadline is refused', sh('2026-10-27 16:00:01'), ['第十四条 extension.max']],
    ['第十四条: a month later is refused', sh('2026-11-13 16:00'), ['第十四条 extension.max']],
    ['第十四条: not after the current deadline is refused as such, not as too far', due, ['第十四条 extension.new-deadline']],
  ] as [string, Date, string[]][])('%s', (_, requestedDueAt, expected) => {
    const v = checkExtension(request({ requestedDueAt }), facts({ latestAllowedDueAt: latest }));
    expect(rules(v)).toEqual(expected);
    if (!v.ok) expect(v.violations[0]!.field).toBe('requestedDueAt');
  });

  it('第十四条: the number of working days is a parameter (5 → 2026-10-20 16:00)', () => {
    const params = withOverrides({ extensionMaxWorkingDays: 5 });
    const five = extensionLatestDueAt(due, calendar, params);
    expect(five).toEqual(sh('2026-10-20 16:00'));
    expect(checkExtension(request({ requestedDueAt: sh('2026-10-20 16:00') }), facts({ latestAllowedDueAt: five }), params).ok).toBe(true);
    expect(rules(checkExtension(request({ requestedDueAt: sh('2026-10-21 09:00') }), facts({ latestAllowedDueAt: five }), params))).toEqual([
      '第十四条 extension.max',
    ]);
  });

  it('第十四条: the reason names the maximum in working days', () => {
    const v = checkExtension(request({ requestedDueAt: sh('2026-11-13 16:00') }), facts({ latestAllowedDueAt: latest }));
    expect(v.ok ? '' : v.violations[0]!.reason).toContain('10个工作日');
  });
});

describe('第十四条 (spec decision "who states the facts") the reporter contact time lies between the arrival at the unit and the request', () => {
  it.each([
    ['第十四条: contacted at the second the ticket reached the unit is allowed', arrived, []],
    ['第十四条: contacted at the second of the request is allowed', sh('2026-10-12 10:00'), []],
    ['第十四条: contacted one second before the ticket reached the unit is refused', plusSeconds(arrived, -1), ['第十四条 extension.contact-time']],
    ['第十四条: contacted a month before the ticket existed is refused', sh('2026-09-09 10:00'), ['第十四条 extension.contact-time']],
    ['第十四条: contacted one second after the request is refused', sh('2026-10-12 10:00:01'), ['第十四条 extension.contact-time']],
  ] as [string, Date, string[]][])('%s', (_, reporterContactedAt, expected) => {
    const v = checkExtension(request({ reporterContactedAt }), facts());
    expect(rules(v)).toEqual(expected);
    if (!v.ok) {
      expect(v.violations[0]!.field).toBe('reporterContactedAt');
      expect(v.violations[0]!.reason).toMatch(/不可能属实/);
    }
  });

  it('第十四条: after a redispatch the span starts at the arrival at the unit now handling the ticket', () => {
    const v = checkExtension(request({ reporterContactedAt: sh('2026-10-10 09:00') }), facts({ arrivedAtUnit: sh('2026-10-11 08:00') }));
    expect(rules(v)).toEqual(['第十四条 extension.contact-time']);
  });
});
