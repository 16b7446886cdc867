import { checkExtension, type ExtensionRequest, type ExtensionTicketFacts } from '../../rules/extensions';
import { withOverrides } from '../../rules/parameters';
import type { Verdict } from '../../rules/types';
import { plusSeconds, sh } from './support';

const due = sh('2026-10-13 16:00');
const facts = (over: Partial<ExtensionTicketFacts> = {}): ExtensionTicketFacts => ({ channel: '12345', category: 'complaint', currentDueAt: due, ...over });
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
