/**
 * The whole ticket lifecycle (第六条–第二十三条) on the time-skipping server, with real activities against PostgreSQL.
 * Every refused decision must leave no trace: no accepted Update in history, no event in the database.
 */
import * as m from '../../workflows/messages';
import { eventually } from '../helpers/env';
import { lastCase, ticketDriver, UNIT } from '../helpers/tickets';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const t = ticketDriver('lifecycle-test');
const { open, update, refused, events, acceptedUpdates, actor, handling, contact, lastContactAt, fullReply, draftAndClose, round, caseUpdate } = t;
let env: typeof t.rig.env;
let db: typeof t.rig.db;
beforeAll(() => ({ env, db } = t.rig));

describe('退单 (第八条(三)(四), 第十三条)', () => {
  const notOurDuty = {
    ground: 'not-our-duty' as const,
    evidence: { reasons: '反映的小区内部道路停车收费不属于交通运输部门职责', basis: '《天津市物业管理条例》第六十条', proposedTransferee: '属地街道办事处' },
  };

  test('第八条(三)1 a not-our-duty return at 23 h 59 min is accepted; the ticket waits for the platform', async () => {
    const { d, h } = await open();
    await update(h, m.acceptUpdate, { unitId: UNIT, acceptedBy: 'acceptor' });
    await env.sleep(23 * HOUR + 59 * 60_000);
    const s = await update(h, m.returnUpdate, { ...actor('acceptor'), ...notOurDuty });
    expect(s.status).toBe('returned');
    expect(s.returns).toHaveLength(1);
    await eventually(() => events(d.ticketNo), (e) => e.includes('returned'));
    const notes = await db.notification.findMany({ where: { ticketNo: d.ticketNo, kind: 'returned' } });
    expect(notes.map((n) => n.recipientRole)).toEqual(['service-division']);
  });

  test('第八条(三)1 at 24 h 01 min the same return is refused: the window closed, a justification approved by 委政务服务处 is needed', async () => {
    const { d, h } = await open();
    await update(h, m.acceptUpdate, { unitId: UNIT, acceptedBy: 'acceptor' });
    await env.sleep(24 * HOUR + 60_000);
    const before = await acceptedUpdates(h);
    const r = await refused(update(h, m.returnUpdate, { ...actor('acceptor'), ...notOurDuty }));
    expect(r.type).toBe(m.RULE_VIOLATION);
    expect(r.rules).toContain('return.window-24h');
    expect(r.articles).toContain('第八条(三)1');
    expect(await acceptedUpdates(h)).toBe(before);
    expect(await events(d.ticketNo)).not.toContain('returned');
    // A justification the unit writes is not an approval: 委政务服务处 decides that in the system (spec decision).
    const late = { ...notOurDuty, lateJustification: { text: '职责划分需会商确认' } };
    expect((await refused(update(h, m.returnUpdate, { ...actor('acceptor'), ...late }))).rules).toContain('return.window-24h');
    const byUnit = await refused(update(h, m.approveLateReturnUpdate, { ...actor('leader'), note: '同意' }));
    expect(byUnit.rules).toContain('late-return-approval.service-division');
    await update(h, m.approveLateReturnUpdate, { by: 'sd-officer', unitId: m.SERVICE_DIVISION_UNIT, note: '经会商，确属其他部门职责，同意退单' });
    const s = await update(h, m.returnUpdate, { ...actor('acceptor'), ...late });
    expect(s.status).toBe('returned');
    expect(s.lateReturnApproval).toMatchObject({ by: 'sd-officer' });
  });

  test('第八条(三)2 a second re-verification return is refused after the platform sends the ticket again', async () => {
    const { h } = await open();
    const incomplete = { ground: 'incomplete-info' as const, evidence: { itemsToVerify: ['事发具体地点', '涉事车辆车牌号'] } };
    await update(h, m.returnUpdate, { ...actor('acceptor'), ...incomplete });
    const now = new Date(await env.currentTimeMs()).toISOString();
    const again = await update(h, m.redispatchUpdate, { by: 'platform', unitId: UNIT, dispatchedToUnitAt: now, note: '已补充核实信息' });
    expect(again.status).toBe('dispatched');
    const r = await refused(update(h, m.returnUpdate, { ...actor('acceptor'), ground: 'incomplete-info', evidence: { itemsToVerify: ['反映人联系时间'] } }));
    expect(r.rules).toContain('return.incomplete-info.once');
    expect(r.articles).toContain('第八条(三)2');
  });

  test('第十三条 an 【互联网+督查】 ticket is not returned without the office consultation and the inspection department consent', async () => {
    const { h } = await open({ labels: ['internet-plus-inspection'] });
    const contacted = new Date(Math.floor((await env.currentTimeMs()) / 1000) * 1000).toISOString();
    const r = await refused(update(h, m.returnUpdate, { ...actor('acceptor'), ...notOurDuty, reporterContactedAt: contacted }));
    expect(r.rules).toEqual(expect.arrayContaining(['return.special-label.office-consulted', 'return.special-label.inspection-consent']));
    expect(r.articles).toContain('第十三条');
    const s = await update(h, m.returnUpdate, { ...actor('acceptor'), ...notOurDuty, reporterContactedAt: contacted, officeConsultedAt: contacted, inspectionConsentAt: contacted });
    expect(s.status).toBe('returned');
  });

  test('第八条(四)1 the lead unit may not return a matter of its own duty because it is difficult', async () => {
    const { h } = await open();
    const r = await refused(update(h, m.returnUpdate, { ...actor('acceptor'), ...notOurDuty, duty: 'own', citesDifficulty: true }));
    expect(r.articles).toContain('第八条(四)1');
  });
});

describe('延期 (第十四条)', () => {
  test('第十四条(二) an extension of a consultation ticket is refused', async () => {
    const { h } = await handling({ category: 'consultation' });
    await contact(h);
    const s = await h.query(m.getStateQuery);
    const r = await refused(
      update(h, m.requestExtensionUpdate, {
        ...actor('handler'),
        requestedDueAt: new Date(Date.parse(s.deadlines.dueAt!) + 3 * DAY).toISOString(),
        reason: '需现场勘查',
        reporterConsent: true,
        reporterContactedAt: s.contacts[0]!.at,
        reporterOpinion: '同意延期',
      }),
    );
    expect(r.rules).toContain('extension.forbidden.consultation');
    expect(r.articles).toContain('第十四条(二)');
  });

  test('第十四条 an approved extension moves the deadline and the reminder; only 委政务服务处 approves', async () => {
    const { d, h } = await handling();
    await contact(h);
    const before = await h.query(m.getStateQuery);
    const newDue = new Date(Date.parse(before.deadlines.dueAt!) + 5 * DAY).toISOString();
    await update(h, m.requestExtensionUpdate, {
      ...actor('handler'),
      requestedDueAt: newDue,
      reason: '涉及多个区县线路调整，需组织现场调研',
      reporterConsent: true,
      reporterContactedAt: before.contacts[0]!.at,
      reporterOpinion: '反映人同意延期办理',
    });
    const byUnit = await refused(update(h, m.decideExtensionUpdate, { ...actor('leader'), approved: true, note: '同意' }));
    expect(byUnit.rules).toContain('extension-decision.service-division');
    const s = await update(h, m.decideExtensionUpdate, { by: 'sd-officer', unitId: m.SERVICE_DIVISION_UNIT, approved: true, note: '同意延期' });
    expect(s.deadlines.dueAt).toBe(newDue);
    expect(Date.parse(s.deadlines.remindAt!)).toBeGreaterThan(Date.parse(before.deadlines.remindAt!));
    expect(Date.parse(s.deadlines.remindAt!)).toBeLessThan(Date.parse(newDue));
    const row = await eventually(() => db.ticket.findUniqueOrThrow({ where: { ticketNo: d.ticketNo } }), (t) => t.extensionStatus === 'approved');
    expect(row.dueAt?.toISOString()).toBe(newDue);
    // The old deadline passes without an overdue mark.
    await env.sleep(Date.parse(before.deadlines.dueAt!) - (await env.currentTimeMs()) + HOUR);
    expect(round(await h.query(m.getStateQuery)).overdue).toBe(false);
  });
});

describe('答复 (第十五条, 第十六条)', () => {
  test('第十六条(四) a reply with 已联系 is refused at drafting', async () => {
    const { d, h } = await handling();
    await contact(h);
    const r = await refused(update(h, m.draftReplyUpdate, { ...actor('handler'), text: '已联系。' }));
    expect(r.articles).toEqual(expect.arrayContaining(['第十六条(四)']));
    expect(r.rules).toContain('reply.closing-phrase');
    expect(await events(d.ticketNo)).not.toContain('reply-drafted');
  });

  test('第十六条 谁办复、谁审核: approval by the author is refused; another reviewer closes the ticket through the platform', async () => {
    const { d, h } = await handling();
    await contact(h);
    const at = await lastContactAt(h);
    await update(h, m.draftReplyUpdate, { ...actor('handler'), ...fullReply(at) });
    const r = await refused(update(h, m.reviewReplyUpdate, { ...actor('handler'), approved: true }));
    expect(r.rules).toEqual(['review.not-author']);
    expect(r.articles).toEqual(['第十六条']);
    await update(h, m.reviewReplyUpdate, { ...actor('reviewer'), approved: true });
    const s = await eventually(() => h.query(m.getStateQuery), (x) => x.status === 'closed');
    expect(s.status).toBe('closed');
    expect(s.platformReceipt).toMatch(/^local-/);
    expect(s.closedWithoutContact).toBe(false);
    const row = await eventually(() => db.ticket.findUniqueOrThrow({ where: { ticketNo: d.ticketNo } }), (t) => t.status === 'closed');
    expect(row).toMatchObject({ replyDraftedBy: 'handler', replyReviewedBy: 'reviewer', handlingOverdue: false });
    expect(await events(d.ticketNo)).toEqual(['dispatched', 'accepted', 'assigned', 'contact-recorded', 'reply-drafted', 'reply-approved', 'closed']);
  });

  test('第二十八条(一) closing without reaching the reporter needs recorded failed attempts and is marked so', async () => {
    const { h } = await handling();
    const r = await refused(update(h, m.draftReplyUpdate, { ...actor('handler'), ...fullReply(await lastContactAt(h)) }));
    expect(r.rules).toContain('reply.no-contact');
    await contact(h, false);
    const s = await draftAndClose(h);
    expect(s.closedWithoutContact).toBe(true);
  });

  test('第九条 a ticket co-handled by two departments gets one reply, drafted only once both opinions are in', async () => {
    const { d, h } = await handling({}, ['passenger-division', 'enforcement-division']);
    await contact(h);
    await update(h, m.opinionUpdate, { ...actor('handler-a'), departmentId: 'passenger-division', opinion: '线路调整方案已报批' });
    const at = await lastContactAt(h);
    const r = await refused(update(h, m.draftReplyUpdate, { ...actor('handler'), ...fullReply(at) }));
    expect(r.rules).toEqual(['reply.consolidated']);
    expect(r.articles).toEqual(['第九条']);
    await update(h, m.opinionUpdate, { ...actor('handler-b'), departmentId: 'enforcement-division', opinion: '已对违规车辆立案调查' });
    const s = await draftAndClose(h);
    expect(s.departments.map((x) => x.opinion !== null)).toEqual([true, true]);
    expect((await events(d.ticketNo)).filter((e) => e === 'reply-drafted')).toHaveLength(1);
  });
});

describe('时限、提醒、超时与督办 (第十一条, 第二十二条(一), 第二十三条)', () => {
  test('第十一条(一) a 特急 ticket runs on the 1-hour clock: reminder at 45 min, overdue at 1 h opens supervision', async () => {
    const now = await env.currentTimeMs();
    const { d, h } = await open({ urgency: 'critical', dispatchedAt: new Date(now).toISOString(), dispatchedToUnitAt: new Date(now).toISOString() });
    const s = await h.query(m.getStateQuery);
    expect(Date.parse(s.deadlines.dueAt!) - now).toBe(HOUR);
    expect(Date.parse(s.deadlines.remindAt!) - now).toBe(45 * 60_000);
    await env.sleep(46 * 60_000);
    expect(round(await h.query(m.getStateQuery)).reminded).toBe(true);
    await env.sleep(15 * 60_000);
    const late = await h.query(m.getStateQuery);
    expect(round(late).overdue).toBe(true);
    expect(lastCase(late)?.triggers.map((x) => x.article)).toEqual(['第二十二条(一)']);
    const opened = await eventually(() => h.query(m.getStateQuery), (x) => lastCase(x)?.answerDueAt !== null);
    expect(lastCase(opened)?.answerDueAt).not.toBeNull();
    const types = await eventually(() => events(d.ticketNo), (e) => e.includes('supervision-opened'));
    expect(types).toEqual(expect.arrayContaining(['reminded', 'handling-overdue', 'supervision-opened']));
    const row = await db.ticket.findUniqueOrThrow({ where: { ticketNo: d.ticketNo } });
    expect(row).toMatchObject({ handlingOverdue: true, supervised: true, reminded: true });
    const notified = await db.notification.findMany({ where: { ticketNo: d.ticketNo, kind: 'handling-overdue' } });
    expect(notified.map((n) => n.recipientRole).sort()).toEqual(['service-division', 'unit']);
  });

  test('第二十三条 the unit answers a supervision only with a sealed report', async () => {
    const { h } = await handling();
    await update(h, m.superviseUpdate, { by: 'sd-officer', unitId: m.SERVICE_DIVISION_UNIT, trigger: 'management-misconduct', note: '群众举报执法人员乱罚款' });
    const s = await h.query(m.getStateQuery);
    expect(lastCase(s)).toMatchObject({ escalated: true, triggers: [expect.objectContaining({ article: '第二十二条(五)' })] });
    const r = await refused(caseUpdate(h, m.caseAnswerUpdate, { ...actor('leader'), report: { documentRef: 'RTB-2026-118', sealed: false, submittedTo: m.SERVICE_DIVISION_UNIT }, text: '已核查' }));
    expect(r.rules).toEqual(['supervision-answer.sealed']);
    const answered = await caseUpdate(h, m.caseAnswerUpdate, { ...actor('leader'), report: { documentRef: 'RTB-2026-118', sealed: true, submittedTo: m.SERVICE_DIVISION_UNIT }, text: '经核查，已对相关执法人员批评教育并退还罚款' });
    // An escalated case (第二十二条(五)) waits for 委政务服务处's approval before it closes.
    expect(lastCase(answered)?.status).toBe('answered');
    const approved = await caseUpdate(h, m.caseApprovalUpdate, { by: 'sd-officer', unitId: m.SERVICE_DIVISION_UNIT, approved: true, note: '同意' });
    expect(lastCase(approved)?.status).toBe('closed');
  });
});

describe('舆情与行政调解 (第八条(二), 第十二条)', () => {
  test('第八条(二) a sensitive flag notifies the unit\'s principal leader and 委政务服务处', async () => {
    const { d, h } = await handling();
    await update(h, m.flagUpdate, { ...actor('acceptor'), sensitive: true, majorPublicOpinion: true, note: '多名群众集中反映，网络已有转发' });
    const notes = await eventually(() => db.notification.findMany({ where: { ticketNo: d.ticketNo, kind: 'sensitive-flagged' } }), (n) => n.length === 2);
    expect(notes.map((n) => n.recipientRole).sort()).toEqual(['service-division', 'unit-leader']);
    // 第十四条(一): a sensitive ticket cannot be extended.
    await contact(h);
    const s = await h.query(m.getStateQuery);
    const r = await refused(
      update(h, m.requestExtensionUpdate, {
        ...actor('handler'),
        requestedDueAt: new Date(Date.parse(s.deadlines.dueAt!) + DAY).toISOString(),
        reason: '复杂',
        reporterConsent: true,
        reporterContactedAt: s.contacts[0]!.at,
        reporterOpinion: '同意',
      }),
    );
    expect(r.articles).toContain('第十四条(一)');
  });

  test('第十二条 a mediation case records its outcome', async () => {
    const { d, h } = await handling();
    await update(h, m.mediationUpdate, { ...actor('handler') });
    const r = await refused(update(h, m.mediationUpdate, { ...actor('handler') }));
    expect(r.type).toBe(m.STATE_CONFLICT);
    const s = await update(h, m.mediationUpdate, { ...actor('handler'), outcome: '双方达成调解协议，经营者退还多收费用' });
    expect(s.mediation?.outcome).toContain('调解协议');
    expect(await eventually(() => events(d.ticketNo), (e) => e.includes('mediation-outcome'))).toEqual(expect.arrayContaining(['mediation-marked', 'mediation-outcome']));
  });
});

describe('回访与重新办理 (第十七条–第二十一条)', () => {
  test('第十七条、第二十一条 reopened after a revisit, a new deadline, and closed again only with the sealed report', async () => {
    const { d, h } = await handling();
    await contact(h);
    const closed = await draftAndClose(h);
    await update(h, m.revisitUpdate, { by: 'sd-revisitor', unitId: m.SERVICE_DIVISION_UNIT, orderedBy: 'service-division', satisfaction: 'unsatisfied', verifiedReason: '经核实，反映人对处理结果不满意', newQuestions: true, note: '反映人提出新的疑问：罚款是否已执行' });
    const reopened = await update(h, m.reopenUpdate, { by: 'sd-revisitor', unitId: m.SERVICE_DIVISION_UNIT, orderedBy: 'service-division', reasons: ['核实罚款执行情况并答复反映人'] });
    expect(reopened.status).toBe('assigned');
    expect(Date.parse(reopened.deadlines.dueAt!)).toBeGreaterThan(Date.parse(closed.rounds[0]!.closedAt!));
    await contact(h);
    const at = await lastContactAt(h);
    const items = { itemAnswers: ['经核实，罚款已于11月29日执行完毕并告知反映人'] };
    const r = await refused(update(h, m.draftReplyUpdate, { ...actor('handler'), ...fullReply(at), ...items }));
    expect(r.rules).toEqual(['reply.re-handling-report']);
    expect(r.articles).toEqual(['第二十一条']);
    // 第二十一条 逐项办理: the reply answers each item of the reopen.
    const noItems = await refused(update(h, m.draftReplyUpdate, { ...actor('handler'), ...fullReply(at), sealedReport: { documentRef: 'RTB-REPORT-0042', sealed: true, submittedTo: m.SERVICE_DIVISION_UNIT } }));
    expect(noItems.rules).toEqual(['reply.item-answers']);
    // 委政务服务处 ordered the re-handling: the report must bear the unit's seal.
    const unsealed = await refused(update(h, m.draftReplyUpdate, { ...actor('handler'), ...fullReply(at), ...items, sealedReport: { documentRef: 'RTB-REPORT-0042', sealed: false, submittedTo: m.SERVICE_DIVISION_UNIT } }));
    expect(unsealed.rules).toEqual(['reply.sealed-report']);
    const again = await draftAndClose(h, { ...items, sealedReport: { documentRef: 'RTB-REPORT-0042', sealed: true, submittedTo: m.SERVICE_DIVISION_UNIT } });
    expect(again.reopens).toHaveLength(1);
    expect(again.reply?.sealedReport?.documentRef).toBe('RTB-REPORT-0042');
    const reclosed = await eventually(() => db.notification.findMany({ where: { ticketNo: d.ticketNo, kind: 'reclosed' } }), (n) => n.length === 1);
    expect(reclosed[0]!.recipientRole).toBe('service-division');
    expect((await events(d.ticketNo)).filter((e) => e === 'closed')).toHaveLength(2);
  });

  test('第二十二条(三) a revisit finding a false closure puts the ticket under supervision by itself', async () => {
    const { h } = await handling();
    await contact(h);
    await draftAndClose(h, {
      text: '市道路运输局工作人员李明（联系电话022-23456789）于2026年11月28日10时30分电话联系反映人，问题已解决，对驾驶员处以罚款200元。反映人表示满意。',
    });
    const s = await update(h, m.revisitUpdate, { by: 'sd-revisitor', unitId: m.SERVICE_DIVISION_UNIT, orderedBy: 'service-division', satisfaction: 'unsatisfied', verifiedReason: '经核实，反映人对处理结果不满意', reporterSaysNotContacted: true, reporterSaysNotSolved: true, note: '反映人称无人联系' });
    expect(lastCase(s)?.triggers.map((x) => x.article)).toContain('第二十二条(三)');
  });
});

describe('日历 (第十一条, spec decision "calendar years")', () => {
  test('loading a calendar year recomputes a provisional deadline of an open ticket', async () => {
    // 2030–2031 have no published arrangement (and no other test touches them): the clock is provisional.
    const years = [2030, 2031];
    // Dispatch times are never in the future (spec decision): the test server's clock is moved to that day first.
    await env.sleep(Date.parse('2030-12-30T10:06:00+08:00') - (await env.currentTimeMs()));
    const { d, h } = await handling({ dispatchedAt: '2030-12-30T10:00:00+08:00', dispatchedToUnitAt: '2030-12-30T10:05:00+08:00', category: 'complaint' });
    const before = await h.query(m.getStateQuery);
    expect(before.deadlines.provisional).toBe(true);
    // The administrator loads 2027 with a day off on the deadline's day; the deadline moves past it.
    const dueDay = new Date(Date.parse(before.deadlines.dueAt!) + 8 * HOUR).toISOString().slice(0, 10);
    try {
      await db.calendarYear.createMany({ data: years.map((year) => ({ year, loadedBy: 'admin' })) });
      // The loaded arrangement: 元旦 2031 and an extra day off on the old deadline's day.
      await db.calendarOverride.createMany({ data: [{ date: '2031-01-01', working: false, name: '元旦', updatedBy: 'admin' }, { date: dueDay, working: false, name: '测试调整', updatedBy: 'admin' }] });
      await h.signal(m.calendarChangedSignal, { years });
      const after = await eventually(() => h.query(m.getStateQuery), (s) => s.deadlines.dueAt !== before.deadlines.dueAt);
      expect(Date.parse(after.deadlines.dueAt!)).toBeGreaterThan(Date.parse(before.deadlines.dueAt!));
      expect(after.deadlines.provisional).toBe(false);
      expect(await eventually(() => events(d.ticketNo), (e) => e.includes('deadlines-recomputed'))).toContain('deadlines-recomputed');
    } finally {
      await db.calendarOverride.deleteMany({ where: { date: { in: [dueDay, '2031-01-01'] } } });
      await db.calendarYear.deleteMany({ where: { year: { in: years } } });
    }
  });
});
