import { withOverrides } from '../../rules/parameters';
import { checkReturn, isWithinReturnWindow, returnWindowEndsAt, type ReturnRequest, type ReturnTicketFacts } from '../../rules/returns';
import type { Verdict } from '../../rules/types';
import { plusSeconds, sh } from './support';

const dispatched = sh('2026-10-09 09:00');
const facts = (over: Partial<ReturnTicketFacts> = {}): ReturnTicketFacts => ({ dispatchedToUnitAt: dispatched, labels: [], previousReturns: [], ...over });
const notOurDuty = (over: Partial<ReturnRequest> = {}): ReturnRequest => ({
  ground: 'not-our-duty',
  requestedAt: sh('2026-10-09 15:00'),
  evidence: {
    reasons: '反映的小区内部道路停车收费问题属于物业管理事项，不属于交通运输部门职责。',
    basis: '《天津市物业管理条例》第四十条',
    proposedTransferee: '和平区住房和建设委员会',
  },
  ...over,
});
const rules = (v: Verdict) => (v.ok ? [] : v.violations.map((x) => `${x.article} ${x.rule}`));

describe('第八条(三) return grounds and their evidence', () => {
  it.each([
    ['第八条(三)1: not our duty with reasons, basis and transferee, within 24 h', notOurDuty(), facts()],
    ['第八条(三)2: incomplete info listing the items to re-verify', { ground: 'incomplete-info', requestedAt: sh('2026-10-09 10:00'), evidence: { itemsToVerify: ['车牌号', '乘车时间'] } }, facts()],
    ['第八条(三)3: repeat with the previous tickets and results', { ground: 'repeat', requestedAt: sh('2026-10-09 10:00'), evidence: { previousTickets: [{ ticketNo: 'TJ2026090100012', result: '已对涉事驾驶员罚款200元' }] } }, facts()],
    ['第八条(三)4: knowledge base with the exact entry', { ground: 'knowledge-base', requestedAt: sh('2026-10-09 10:00'), evidence: { knowledgeBaseEntry: { id: 'ZSK-JT-00421', title: '网约车驾驶员证办理' } } }, facts()],
    ['第八条(三)5: legal process with document numbers', { ground: 'legal-process', requestedAt: sh('2026-10-09 10:00'), evidence: { documentNumbers: ['(2026)津0101民初1234号'] } }, facts()],
    ['第八条(三)1: a late not-our-duty return with a justification approved by 委政务服务处', notOurDuty({ requestedAt: sh('2026-10-11 09:00'), lateJustification: { text: '需调取区住建委职责文件核实' } }), facts({ lateReturnApproval: { approvedAt: sh('2026-10-11 08:00'), by: '委政务服务处 王芳' } })],
  ] as [string, ReturnRequest, ReturnTicketFacts][])('%s is allowed', (_, request, f) => {
    expect(checkReturn(request, f)).toEqual({ ok: true });
  });

  it.each([
    ['第八条(三)1: not our duty without reasons', notOurDuty({ evidence: { basis: 'x', proposedTransferee: 'y' } }), facts(), ['第八条(三)1 return.not-our-duty.reasons']],
    ['第八条(三)1: not our duty without basis', notOurDuty({ evidence: { reasons: '属物业管理', proposedTransferee: '区住建委' } }), facts(), ['第八条(三)1 return.not-our-duty.basis']],
    ['第八条(三)1: not our duty without a proposed transferee (blank counts as missing)', notOurDuty({ evidence: { reasons: '属物业管理', basis: '条例', proposedTransferee: '  ' } }), facts(), ['第八条(三)1 return.not-our-duty.transferee']],
    ['第八条(三)1: not our duty when the ticket is recorded as the unit’s own duty', notOurDuty(), facts({ duty: 'own' }), ['第八条(三)1 return.not-our-duty-contradicted']],
    ['第八条(三)1: late without justification', notOurDuty({ requestedAt: sh('2026-10-10 09:00:01') }), facts(), ['第八条(三)1 return.window-24h']],
    ['第八条(三)1: late with a justification not yet approved', notOurDuty({ requestedAt: sh('2026-10-10 10:00'), lateJustification: { text: '需核实' } }), facts(), ['第八条(三)1 return.window-24h']],
    ['第八条(三)2: incomplete info without any item', { ground: 'incomplete-info', requestedAt: sh('2026-10-09 10:00'), evidence: { itemsToVerify: [] } }, facts(), ['第八条(三)2 return.incomplete-info.items']],
    ['第八条(三)2: a second incomplete-info return', { ground: 'incomplete-info', requestedAt: sh('2026-10-09 10:00'), evidence: { itemsToVerify: ['车牌号'] } }, facts({ previousReturns: [{ ground: 'incomplete-info', at: sh('2026-10-08 10:00') }] }), ['第八条(三)2 return.incomplete-info.once']],
    ['第八条(三)3: repeat without previous results', { ground: 'repeat', requestedAt: sh('2026-10-09 10:00'), evidence: { previousTickets: [{ ticketNo: 'TJ1', result: '' }] } }, facts(), ['第八条(三)3 return.repeat.previous-results']],
    ['第八条(三)3: repeat although the reporter raised a new demand', { ground: 'repeat', requestedAt: sh('2026-10-09 10:00'), evidence: { previousTickets: [{ ticketNo: 'TJ1', result: '已罚款' }] } }, facts({ reporterRaisedNewDemand: true }), ['第八条(三)3 return.repeat.new-demand']],
    ['第八条(三)4: knowledge base without the entry', { ground: 'knowledge-base', requestedAt: sh('2026-10-09 10:00'), evidence: {} }, facts(), ['第八条(三)4 return.knowledge-base.entry']],
    ['第八条(三)5: legal process without document numbers', { ground: 'legal-process', requestedAt: sh('2026-10-09 10:00'), evidence: { documentNumbers: [''] } }, facts(), ['第八条(三)5 return.legal-process.documents']],
  ] as [string, ReturnRequest, ReturnTicketFacts, string[]][])('%s is refused', (_, request, f, expected) => {
    expect(rules(checkReturn(request, f))).toEqual(expected);
  });

  it('第八条(三)2: the limit of incomplete-info returns is a parameter', () => {
    const request: ReturnRequest = { ground: 'incomplete-info', requestedAt: sh('2026-10-09 10:00'), evidence: { itemsToVerify: ['车牌号'] } };
    const f = facts({ previousReturns: [{ ground: 'incomplete-info', at: sh('2026-10-08 10:00') }] });
    expect(checkReturn(request, f, withOverrides({ incompleteInfoReturnsPerTicket: 2 })).ok).toBe(true);
  });
});

describe('第八条(三)1 the 24-hour window, to the second', () => {
  it.each([
    ['第八条(三)1: 23:59:59 after dispatch is within', plusSeconds(dispatched, 24 * 3600 - 1), true],
    ['第八条(三)1: exactly 24:00:00 after dispatch is within', plusSeconds(dispatched, 24 * 3600), true],
    ['第八条(三)1: 24:00:01 after dispatch is late', plusSeconds(dispatched, 24 * 3600 + 1), false],
  ])('%s', (_, at, within) => {
    expect(isWithinReturnWindow(dispatched, at)).toBe(within);
    expect(checkReturn(notOurDuty({ requestedAt: at }), facts()).ok).toBe(within);
  });

  it('第八条(三)1: the window counts natural hours (a holiday does not extend it)', () => {
    expect(returnWindowEndsAt(sh('2026-09-30 16:00'))).toEqual(sh('2026-10-01 16:00'));
  });
});

describe('第八条(四) forbidden returns', () => {
  it.each([
    ['第八条(四)1: the unit cites difficulty (flag)', notOurDuty({ citesDifficulty: true }), facts(), '第八条(四)1 return.forbidden.own-duty-difficulty'],
    ['第八条(四)1: the unit needs another unit’s help (flag)', { ground: 'repeat', requestedAt: sh('2026-10-09 10:00'), evidence: { previousTickets: [{ ticketNo: 'TJ1', result: '已罚款' }] }, citesNeedForOtherUnitHelp: true }, facts(), '第八条(四)1 return.forbidden.own-duty-difficulty'],
    ['第八条(四)1: the reasons say the matter is hard to handle', notOurDuty({ evidence: { reasons: '该问题涉及多个部门，办理难度较大。', basis: '三定方案', proposedTransferee: '区政府' } }), facts(), '第八条(四)1 return.forbidden.own-duty-difficulty'],
    ['第八条(四)1: the reasons say it needs other departments’ cooperation', notOurDuty({ evidence: { reasons: '需 相关部门 配合，我单位无法单独处理', basis: '三定方案', proposedTransferee: '区政府' } }), facts(), '第八条(四)1 return.forbidden.own-duty-difficulty'],
    ['第八条(四)2: partly our duty, own part unfinished', { ground: 'incomplete-info', requestedAt: sh('2026-10-09 10:00'), evidence: { itemsToVerify: ['地址'] } }, facts({ duty: 'partial' }), '第八条(四)2 return.forbidden.own-part-unfinished'],
    ['第八条(四)3: the platform marks the ticket not returnable', { ground: 'knowledge-base', requestedAt: sh('2026-10-09 10:00'), evidence: { knowledgeBaseEntry: { id: 'ZSK-1' } } }, facts({ platformForbidsReturn: true }), '第八条(四)3 return.forbidden.platform'],
  ] as [string, ReturnRequest, ReturnTicketFacts, string][])('%s → refused', (_, request, f, expected) => {
    expect(rules(checkReturn(request, f))).toContain(expected);
  });

  it('第八条(四)2: partly our duty with the own part completed may be returned', () => {
    const request: ReturnRequest = { ground: 'incomplete-info', requestedAt: sh('2026-10-09 10:00'), evidence: { itemsToVerify: ['地址'] } };
    expect(checkReturn(request, facts({ duty: 'partial', ownPartCompleted: true })).ok).toBe(true);
  });
});

describe('第十三条 special labels', () => {
  it.each([
    ['【营商环境监督员】', 'business-env-supervisor'],
    ['【中国政府网留言】', 'gov-website-message'],
    ['【转接企业营商服务专线】', 'enterprise-service-line'],
    ['【互联网+督查】', 'internet-plus-inspection'],
  ] as const)('第十三条: %s needs the reporter contacted before returning', (_, label) => {
    const v = checkReturn(notOurDuty(), facts({ labels: [label] }));
    expect(rules(v)).toContain('第十三条 return.special-label.reporter-contact');
    const contacted = checkReturn(notOurDuty({ reporterContactedAt: sh('2026-10-09 14:00'), officeConsultedAt: sh('2026-10-09 14:10'), inspectionConsentAt: sh('2026-10-09 14:30') }), facts({ labels: [label] }));
    expect(contacted).toEqual({ ok: true });
  });

  it('第十三条: a contact recorded after the return does not count', () => {
    const v = checkReturn(notOurDuty({ reporterContactedAt: sh('2026-10-09 16:00') }), facts({ labels: ['gov-website-message'] }));
    expect(rules(v)).toEqual(['第十三条 return.special-label.reporter-contact']);
  });

  it('第十三条: 【互联网+督查】 also needs the Commission office consulted and the city inspection department’s consent', () => {
    const v = checkReturn(notOurDuty({ reporterContactedAt: sh('2026-10-09 14:00') }), facts({ labels: ['internet-plus-inspection'] }));
    expect(rules(v)).toEqual(['第十三条 return.special-label.office-consulted', '第十三条 return.special-label.inspection-consent']);
    const onlyOffice = checkReturn(notOurDuty({ reporterContactedAt: sh('2026-10-09 14:00'), officeConsultedAt: sh('2026-10-09 14:10') }), facts({ labels: ['internet-plus-inspection'] }));
    expect(rules(onlyOffice)).toEqual(['第十三条 return.special-label.inspection-consent']);
  });

  it('第八条/第十三条: all violations come back at once, each with a Chinese reason and the field concerned', () => {
    const v = checkReturn(
      notOurDuty({ requestedAt: sh('2026-10-11 09:00'), evidence: {} }),
      facts({ labels: ['internet-plus-inspection'], duty: 'own', platformForbidsReturn: true }),
    );
    expect(rules(v)).toEqual([
      '第八条(四)3 return.forbidden.platform',
      '第八条(三)1 return.not-our-duty-contradicted',
      '第八条(三)1 return.not-our-duty.reasons',
      '第八条(三)1 return.not-our-duty.basis',
      '第八条(三)1 return.not-our-duty.transferee',
      '第八条(三)1 return.window-24h',
      '第十三条 return.special-label.reporter-contact',
      '第十三条 return.special-label.office-consulted',
      '第十三条 return.special-label.inspection-consent',
    ]);
    if (!v.ok) for (const x of v.violations) expect(x.reason).toMatch(/[\u4e00-\u9fa5]/);
  });
});

describe('第八条(三)1 (spec decision "who states the facts") a late not-our-duty return: the unit’s justification and 委政务服务处’s approval', () => {
  const late = sh('2026-10-11 09:00');
  const text = { text: '需调取区住建委职责文件核实' };
  const approval = (approvedAt: Date) => ({ lateReturnApproval: { approvedAt, by: '委政务服务处 王芳' } });

  it.each([
    ['第八条(三)1: justification and approval recorded before the request', notOurDuty({ requestedAt: late, lateJustification: text }), facts(approval(sh('2026-10-11 08:00'))), []],
    ['第八条(三)1: approval recorded at the second of the request', notOurDuty({ requestedAt: late, lateJustification: text }), facts(approval(late)), []],
    ['第八条(三)1: approval without the unit’s written justification', notOurDuty({ requestedAt: late }), facts(approval(sh('2026-10-11 08:00'))), ['第八条(三)1 return.window-24h']],
    ['第八条(三)1: a blank justification with the approval', notOurDuty({ requestedAt: late, lateJustification: { text: '  ' } }), facts(approval(sh('2026-10-11 08:00'))), ['第八条(三)1 return.window-24h']],
    ['第八条(三)1: justification, no approval', notOurDuty({ requestedAt: late, lateJustification: text }), facts(), ['第八条(三)1 return.window-24h']],
    ['第八条(三)1: approval recorded after the request', notOurDuty({ requestedAt: late, lateJustification: text }), facts(approval(plusSeconds(late, 1))), ['第八条(三)1 return.window-24h']],
    ['第八条(三)1: approval from before the ticket reached this unit (an earlier round)', notOurDuty({ requestedAt: late, lateJustification: text }), facts(approval(sh('2026-10-08 10:00'))), ['第八条(三)1 return.window-24h']],
    ['第八条(三)1: an approval without the approver', notOurDuty({ requestedAt: late, lateJustification: text }), facts({ lateReturnApproval: { approvedAt: sh('2026-10-11 08:00'), by: ' ' } }), ['第八条(三)1 return.window-24h']],
  ] as [string, ReturnRequest, ReturnTicketFacts, string[]][])('%s', (_, request, f, expected) => {
    expect(rules(checkReturn(request, f))).toEqual(expected);
  });

  it('第八条(三)1: an approval the unit puts into its own request does not count', () => {
    const smuggled = { ...notOurDuty({ requestedAt: late }), lateJustification: { text: text.text, approvedByServiceDivisionAt: sh('2026-10-11 08:00') } } as ReturnRequest;
    expect(rules(checkReturn(smuggled, facts()))).toEqual(['第八条(三)1 return.window-24h']);
    // @ts-expect-error the approval is a fact of the ticket (ReturnTicketFacts.lateReturnApproval), not part of the request
    const typed: ReturnRequest = { ...notOurDuty(), lateJustification: { text: 'x', approvedByServiceDivisionAt: late } };
    expect(typed).toBeDefined();
  });

  it('第八条(三)1: the violation says what is missing', () => {
    const noText = checkReturn(notOurDuty({ requestedAt: late }), facts(approval(sh('2026-10-11 08:00'))));
    expect(noText.ok ? undefined : noText.violations[0]).toMatchObject({ field: 'lateJustification', reason: expect.stringContaining('书面说明') });
    const noApproval = checkReturn(notOurDuty({ requestedAt: late, lateJustification: text }), facts());
    expect(noApproval.ok ? undefined : noApproval.violations[0]!.reason).toContain('尚未批准');
  });
});

describe('第八条(四)3 (spec decision "who states the facts") the platform’s 不得退单 is a fact, never the unit’s word', () => {
  const kb: ReturnRequest = { ground: 'knowledge-base', requestedAt: sh('2026-10-09 10:00'), evidence: { knowledgeBaseEntry: { id: 'ZSK-1' } } };

  it('第八条(四)3: a platformForbidsReturn put into the request is ignored; the fact decides', () => {
    const smuggled = { ...kb, platformForbidsReturn: false } as ReturnRequest;
    expect(rules(checkReturn(smuggled, facts({ platformForbidsReturn: true })))).toEqual(['第八条(四)3 return.forbidden.platform']);
    // @ts-expect-error 第八条(四)3 comes with the platform's dispatch or a platform message (ReturnTicketFacts), not with the request
    const typed: ReturnRequest = { ...kb, platformForbidsReturn: true };
    expect(checkReturn(typed, facts()).ok).toBe(true);
  });
});

describe('第十三条 (spec decision "who states the facts") the reported times lie between the arrival at the unit and the request', () => {
  const labelled = facts({ labels: ['internet-plus-inspection'] });
  const times = { reporterContactedAt: sh('2026-10-09 14:00'), officeConsultedAt: sh('2026-10-09 14:10'), inspectionConsentAt: sh('2026-10-09 14:30') };

  it.each([
    ['第十三条: every time at the second the ticket reached the unit', { reporterContactedAt: dispatched, officeConsultedAt: dispatched, inspectionConsentAt: dispatched }, []],
    ['第十三条: every time at the second of the request', { reporterContactedAt: sh('2026-10-09 15:00'), officeConsultedAt: sh('2026-10-09 15:00'), inspectionConsentAt: sh('2026-10-09 15:00') }, []],
    ['第十三条: reporter contacted before the ticket reached the unit', { ...times, reporterContactedAt: plusSeconds(dispatched, -1) }, ['reporterContactedAt 第十三条 return.special-label.reporter-contact']],
    ['第十三条: office consulted before the ticket reached the unit', { ...times, officeConsultedAt: sh('2026-10-08 09:00') }, ['officeConsultedAt 第十三条 return.special-label.office-consulted']],
    ['第十三条: office consulted after the request', { ...times, officeConsultedAt: sh('2026-10-09 15:00:01') }, ['officeConsultedAt 第十三条 return.special-label.office-consulted']],
    ['第十三条: consent before the ticket reached the unit', { ...times, inspectionConsentAt: sh('2026-10-01 09:00') }, ['inspectionConsentAt 第十三条 return.special-label.inspection-consent']],
    ['第十三条: consent after the request', { ...times, inspectionConsentAt: sh('2026-10-10 09:00') }, ['inspectionConsentAt 第十三条 return.special-label.inspection-consent']],
  ] as [string, Partial<ReturnRequest>, string[]][])('%s', (_, t, expected) => {
    const v = checkReturn(notOurDuty(t), labelled);
    expect(v.ok ? [] : v.violations.map((x) => `${x.field} ${x.article} ${x.rule}`)).toEqual(expected);
    if (!v.ok) expect(v.violations[0]!.reason).toMatch(/不可能属实/);
  });

  it('第十三条: a time given on a ticket without a special label is checked too', () => {
    const v = checkReturn(notOurDuty({ reporterContactedAt: sh('2026-10-09 16:00') }), facts());
    expect(v.ok ? [] : v.violations.map((x) => `${x.field} ${x.article} ${x.rule}`)).toEqual(['reporterContactedAt 第十三条 reported-time.future']);
    expect(checkReturn(notOurDuty({ reporterContactedAt: sh('2026-10-09 14:00') }), facts()).ok).toBe(true);
  });
});

describe('第八条(三)1 (spec decision "特急 acceptance") the return window does not pass the handling deadline', () => {
  const critical = facts({ handlingDueAt: sh('2026-10-09 10:00') });

  it.each([
    ['第八条(三)1: a 特急 ticket returned within its hour', sh('2026-10-09 10:00'), []],
    ['第八条(三)1: a 特急 ticket returned one second after its hour', sh('2026-10-09 10:00:01'), ['第八条(三)1 return.window-24h']],
    ['第八条(三)1: a 特急 ticket returned five hours later (inside 24 h)', sh('2026-10-09 14:00'), ['第八条(三)1 return.window-24h']],
  ] as [string, Date, string[]][])('%s', (_, requestedAt, expected) => {
    expect(rules(checkReturn(notOurDuty({ requestedAt }), critical))).toEqual(expected);
    expect(isWithinReturnWindow(dispatched, requestedAt, undefined, sh('2026-10-09 10:00'))).toBe(expected.length === 0);
  });

  it('第八条(三)1: the window is capped at the handling deadline, never extended by it', () => {
    expect(returnWindowEndsAt(dispatched, undefined, sh('2026-10-09 10:00'))).toEqual(sh('2026-10-09 10:00'));
    expect(returnWindowEndsAt(dispatched, undefined, sh('2026-10-16 09:00'))).toEqual(sh('2026-10-10 09:00'));
    const v = checkReturn(notOurDuty({ requestedAt: sh('2026-10-09 14:00') }), critical);
    expect(v.ok ? '' : v.violations[0]!.reason).toContain('办理时限');
  });
});
