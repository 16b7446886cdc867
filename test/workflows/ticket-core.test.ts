/**
 * The defects a review found in the ticket core (issue "The ticket core"), each driven on the time-skipping server with
 * real activities against PostgreSQL, and named after its article or defect.
 */
import { TicketService } from '../../api/ticket-service';
import * as m from '../../workflows/messages';
import { dispatch, eventually } from '../helpers/env';
import { fullReply, lastCase, round, ticketDriver, UNIT } from '../helpers/tickets';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const t = ticketDriver('ticket-core-test');
const { open, update, refused, events, actor, division, handling, contact, lastContactAt, draftAndClose, nowSecond, caseUpdate } = t;
let env: typeof t.rig.env;
let db: typeof t.rig.db;
beforeAll(() => ({ env, db } = t.rig));

const state = (h: { query: (q: typeof m.getStateQuery) => Promise<m.TicketState> }) => h.query(m.getStateQuery);

test('defect 1 (start-up race): an Update sent right after the dispatch applies after start-up, as event 2, with the deadlines known', async () => {
  const { d, h } = await open();
  // No wait for the workflow: the acceptance races its start-up.
  const accepted = h.executeUpdate(m.acceptUpdate, { args: [{ unitId: UNIT, acceptedBy: 'acceptor' }] });
  const early = await state(h);
  expect(early.deadlines.dueAt).not.toBeNull();
  expect(Number.isNaN(Date.parse(early.deadlines.dueAt!))).toBe(false);
  await accepted;
  const rows = await db.ticketEvent.findMany({ where: { ticketNo: d.ticketNo }, orderBy: { sequence: 'asc' } });
  expect(rows.map((r) => [r.sequence, r.type])).toEqual([
    [1, 'dispatched'],
    [2, 'accepted'],
  ]);
});

test('defect 19 (dispatch answer): the 201 answer carries the deadlines and the dispatch event, and a replay repeats it', async () => {
  const now = await env.currentTimeMs();
  const d = dispatch({ dispatchedAt: new Date(now - 600_000).toISOString(), dispatchedToUnitAt: new Date(now).toISOString() });
  const first = await t.rig.service.dispatch(d);
  expect(first.created).toBe(true);
  expect(first.ticket.deadlines.dueAt).not.toBeNull();
  expect(first.ticket.deadlines.sla).toContain('5个工作日');
  expect(first.ticket.events.map((e) => e.type)).toEqual(['dispatched']);
  const again = await t.rig.service.dispatch(d);
  expect(again.created).toBe(false);
  expect(again.ticket.deadlines).toEqual(first.ticket.deadlines);
  // The workflow plans the same deadlines with the same planner.
  const s = await eventually(() => state(env.client.workflow.getHandle(d.ticketNo)), (x) => x.plannedFor !== null);
  expect(s.deadlines.dueAt).toBe(first.ticket.deadlines.dueAt);
});

test('defect 17 (times that cannot be true): a dispatch dated in the future is refused naming the field', async () => {
  const now = await env.currentTimeMs();
  const d = dispatch({ dispatchedAt: new Date(now + 90 * DAY).toISOString(), dispatchedToUnitAt: new Date(now + 90 * DAY).toISOString() });
  await expect(t.rig.service.dispatch(d)).rejects.toMatchObject({ status: 400, extra: { errors: expect.arrayContaining([expect.objectContaining({ field: 'dispatchedAt' })]) } });
  expect(await db.ticketIntake.findUnique({ where: { ticketNo: d.ticketNo } })).toBeNull();
});

test('defect 17 (第十六条(一)): a reply whose contact time is no recorded contact is refused', async () => {
  const { h } = await handling();
  await contact(h);
  const notRecorded = new Date(Date.parse(await lastContactAt(h)) - 60_000).toISOString();
  const r = await refused(update(h, m.draftReplyUpdate, { ...actor('handler'), ...fullReply(notRecorded) }));
  expect(r.rules).toContain('reply.contact-time-recorded');
  expect(r.fields).toContain('contactedAt');
});

test('defect 2 (第十七条, rounds): a reopen clears the reply from the read model and keeps the first round overdue on record', async () => {
  const { d, h } = await handling();
  await contact(h);
  const first = await state(h);
  await env.sleep(Date.parse(first.deadlines.dueAt!) - (await env.currentTimeMs()) + HOUR);
  expect(round(await state(h)).overdue).toBe(true);
  await caseUpdate(h, m.caseAnswerUpdate, { ...actor('leader'), report: { documentRef: 'RTB-S-1', sealed: true, submittedTo: m.SERVICE_DIVISION_UNIT }, text: '已加快办理' });
  await contact(h);
  await draftAndClose(h);
  const closedRow = await eventually(() => db.ticket.findUniqueOrThrow({ where: { ticketNo: d.ticketNo } }), (r) => r.status === 'closed');
  expect(closedRow.replyText).not.toBeNull();
  await update(h, m.reopenUpdate, { ...division('sd-revisitor'), orderedBy: 'service-division', reasons: ['核实罚款执行情况'] });
  const s = await state(h);
  expect(s.rounds).toHaveLength(2);
  expect(s.rounds[0]).toMatchObject({ overdue: true });
  expect(s.rounds[0]!.closedAt).not.toBeNull();
  expect(s.rounds[1]).toMatchObject({ overdue: false, closedAt: null, orderedBy: 'service-division', items: ['核实罚款执行情况'] });
  const row = await eventually(() => db.ticket.findUniqueOrThrow({ where: { ticketNo: d.ticketNo } }), (r) => r.status === 'assigned');
  expect(row).toMatchObject({ replyText: null, replyDraftedBy: null, replyReviewedBy: null, platformReceipt: null, closedAt: null, handlingOverdue: false, reopenCount: 1 });
  expect((row.rounds as { overdue: boolean }[]).map((r) => r.overdue)).toEqual([true, false]);
});

test('defect 3 (第十四条): a ticket sent to another unit loses the extension; the new unit has its own deadline and may ask', async () => {
  const { d, h } = await handling();
  await contact(h);
  const before = await state(h);
  const requested = new Date(Date.parse(before.deadlines.dueAt!) + 2 * DAY).toISOString();
  await update(h, m.requestExtensionUpdate, { ...actor('handler'), requestedDueAt: requested, reason: '需协调多个部门现场核查', reporterConsent: true, reporterContactedAt: await lastContactAt(h), reporterOpinion: '同意延期' });
  expect((await update(h, m.decideExtensionUpdate, { ...division(), approved: true, note: '同意' })).deadlines.dueAt).toBe(requested);
  await update(h, m.returnUpdate, { ...actor('acceptor'), ground: 'incomplete-info', evidence: { itemsToVerify: ['事发地点'] } });
  const other = 'port-shipping-bureau';
  const s = await update(h, m.redispatchUpdate, { by: 'platform', unitId: other, dispatchedToUnitAt: await nowSecond(), note: '转市港航局' });
  expect(round(s).extension).toBeNull();
  expect(s.deadlines.dueAt).toBe(before.deadlines.dueAt);
  const row = await eventually(() => db.ticket.findUniqueOrThrow({ where: { ticketNo: d.ticketNo } }), (r) => r.unitId === other);
  expect(row.extensionStatus).toBeNull();
  expect(row.dueAt?.toISOString()).toBe(before.deadlines.dueAt);
  await update(h, m.acceptUpdate, { unitId: other, acceptedBy: 'port-acceptor' });
  await update(h, m.assignUpdate, { by: 'port-acceptor', unitId: other, departmentIds: ['waterway-division'] });
  await update(h, m.contactUpdate, { by: 'port-handler', unitId: other, at: await nowSecond(), staffName: '王芳', method: 'phone', reached: true, outcome: '已了解情况' });
  const asked = await update(h, m.requestExtensionUpdate, { by: 'port-handler', unitId: other, requestedDueAt: requested, reason: '需协调航道部门现场核查', reporterConsent: true, reporterContactedAt: await lastContactAt(h), reporterOpinion: '同意延期' });
  expect(round(asked).extension?.status).toBe('requested');
});

test('defect 4 (第二十三条): a closed ticket with an open supervision case outlives its revisit window, and the answer is taken', async () => {
  const { h } = await handling();
  await contact(h);
  await draftAndClose(h);
  await update(h, m.superviseUpdate, { ...division(), trigger: 'other', note: '群众多次来电反映，需说明处理情况' });
  await env.sleep(31 * DAY);
  expect((await h.describe()).status.name).toBe('RUNNING');
  const late = await state(h);
  expect(lastCase(late)).toMatchObject({ late: true, status: 'open' });
  await caseUpdate(h, m.caseAnswerUpdate, { ...actor('leader'), report: { documentRef: 'RTB-S-2', sealed: true, submittedTo: m.SERVICE_DIVISION_UNIT }, text: '已说明处理情况' });
  await eventually(async () => (await h.describe()).status.name, (x) => x === 'COMPLETED');
});

test('defect 5 (第二十二条(五)): a management-misconduct finding at revisit opens an escalated case and tells the unit leader', async () => {
  const { d, h } = await handling();
  await update(h, m.flagUpdate, { ...actor('acceptor'), managementMisconduct: true, note: '反映执法人员违规罚款' });
  await contact(h);
  await draftAndClose(h);
  const s = await update(h, m.revisitUpdate, { ...division('sd-revisitor'), orderedBy: 'service-division', satisfaction: 'unsatisfied', verifiedReason: '经核实，反映人对处理结果不满意', note: '反映人仍对罚款有异议' });
  expect(lastCase(s)?.escalated).toBe(true);
  expect(lastCase(s)?.triggers.map((x) => x.article)).toContain('第二十二条(五)');
  const leader = await eventually(() => db.notification.findMany({ where: { ticketNo: d.ticketNo, kind: 'supervision-escalated' } }), (n) => n.length === 1);
  expect(leader[0]!.recipientRole).toBe('unit-leader');
  const row = await db.ticket.findUniqueOrThrow({ where: { ticketNo: d.ticketNo } });
  expect(row).toMatchObject({ supervised: true, supervisionEscalated: true });
});

test('defect 6 (spec decision, 特急): the acceptance limit and the return window end with the 1-hour deadline', async () => {
  const now = await env.currentTimeMs();
  const at = new Date(now).toISOString();
  const { d, h } = await open({ urgency: 'critical', dispatchedAt: at, dispatchedToUnitAt: at });
  const s = await eventually(() => state(h), (x) => x.plannedFor !== null);
  const due = new Date(now + HOUR).toISOString();
  expect(s.deadlines).toMatchObject({ dueAt: due, acceptDueAt: due, returnWindowEndsAt: due });
  const row = await db.ticket.findUniqueOrThrow({ where: { ticketNo: d.ticketNo } });
  expect(row.acceptDueAt.toISOString()).toBe(due);
  await env.sleep(HOUR + 60_000);
  expect((await state(h)).acceptOverdue).toBe(true);
  const r = await refused(
    update(h, m.returnUpdate, { ...actor('acceptor'), ground: 'not-our-duty', evidence: { reasons: '不属于本单位职责', basis: '三定方案', proposedTransferee: '区交通局' } }),
  );
  expect(r.rules).toContain('return.window-24h');
});

test('defect 7 (spec decision, 第二十二条(一)): supervision opens at the near-deadline point after the reminder, before the deadline', async () => {
  const { h } = await handling();
  await contact(h);
  const s0 = await state(h);
  await env.sleep(Date.parse(s0.deadlines.nearDeadlineAt!) - (await env.currentTimeMs()) + 60_000);
  const s = await state(h);
  expect(round(s)).toMatchObject({ reminded: true, nearDeadlinePassed: true, overdue: false });
  expect(lastCase(s)?.triggers.map((x) => x.rule)).toEqual(['supervision.slow-after-reminder']);
  // Reaching the deadline marks it overdue; the case already open stays the one case.
  await env.sleep(Date.parse(s0.deadlines.dueAt!) - (await env.currentTimeMs()) + 60_000);
  const late = await state(h);
  expect(round(late).overdue).toBe(true);
  expect(late.cases).toHaveLength(1);
});

test('defect 7: a reply approved before the near-deadline point opens no supervision', async () => {
  const { h } = await handling();
  await contact(h);
  const s0 = await state(h);
  await env.sleep(Date.parse(s0.deadlines.remindAt!) - (await env.currentTimeMs()) + 60_000);
  await draftAndClose(h);
  await env.sleep(Date.parse(s0.deadlines.dueAt!) - (await env.currentTimeMs()) + 60_000);
  const s = await state(h);
  expect(s.cases).toEqual([]);
  expect(round(s).overdue).toBe(false);
});

test('defect 9 (第八条(四)3): the platform marks a ticket not returnable in its dispatch; the unit cannot return it', async () => {
  const { h } = await open({ notReturnable: true });
  const r = await refused(update(h, m.returnUpdate, { ...actor('acceptor'), ground: 'incomplete-info', evidence: { itemsToVerify: ['事发地点'] } }));
  expect(r.articles).toContain('第八条(四)3');
});

test('defect 9 (第十一条, 第十四条): a contact or an extension contact before the ticket reached the unit is refused naming the field', async () => {
  const { d, h } = await handling();
  const before = new Date(Date.parse(d.dispatchedToUnitAt) - HOUR).toISOString();
  const r = await refused(update(h, m.contactUpdate, { ...actor('handler'), at: before, staffName: '李明', method: 'phone', reached: true, outcome: '已联系' }));
  expect(r.fields).toEqual(['at']);
  expect(r.articles).toEqual(['第十一条']);
  await contact(h);
  const s = await state(h);
  const e = await refused(
    update(h, m.requestExtensionUpdate, { ...actor('handler'), requestedDueAt: new Date(Date.parse(s.deadlines.dueAt!) + DAY).toISOString(), reason: '需现场核查', reporterConsent: true, reporterContactedAt: before, reporterOpinion: '同意' }),
  );
  expect(e.fields).toContain('reporterContactedAt');
});

test('defect 10 (第十四条): an extension beyond the maximum is refused, and an approval re-checks a ticket flagged sensitive meanwhile', async () => {
  const { h } = await handling();
  await contact(h);
  const s = await state(h);
  const ask = (requestedDueAt: string) =>
    update(h, m.requestExtensionUpdate, { ...actor('handler'), requestedDueAt, reason: '需协调多个部门现场核查', reporterConsent: true, reporterContactedAt: s.contacts[0]!.at, reporterOpinion: '同意延期' });
  const far = await refused(ask(new Date(Date.parse(s.deadlines.extensionLatestDueAt!) + DAY).toISOString()));
  expect(far.rules).toContain('extension.max');
  await ask(new Date(Date.parse(s.deadlines.dueAt!) + DAY).toISOString());
  await update(h, m.flagUpdate, { ...actor('acceptor'), sensitive: true, note: '网络已有转发' });
  const r = await refused(update(h, m.decideExtensionUpdate, { ...division(), approved: true, note: '同意' }));
  expect(r.rules).toContain('extension.forbidden.sensitive');
  expect(round(await update(h, m.decideExtensionUpdate, { ...division(), approved: false, note: '涉及敏感事项，不予延期' })).extension?.status).toBe('refused');
});

test('defect 13 (第二十一条): a re-handling the unit itself ordered closes with a report to that department, no seal needed', async () => {
  const { d, h } = await handling();
  await contact(h);
  await draftAndClose(h);
  await update(h, m.reopenUpdate, { ...actor('unit-revisitor'), orderedBy: 'unit', reasons: ['补充答复罚款去向'] });
  await contact(h);
  const s = await draftAndClose(h, { itemAnswers: ['罚款已上缴国库，已向反映人说明'], sealedReport: { documentRef: 'RTB-INTERNAL-7', sealed: false, submittedTo: UNIT } });
  expect(s.status).toBe('closed');
  const reclosed = await eventually(() => db.notification.findMany({ where: { ticketNo: d.ticketNo, kind: 'reclosed' } }), (n) => n.length === 1);
  expect(reclosed[0]).toMatchObject({ recipientRole: 'unit', recipientUnit: UNIT });
});

test('defect 14 (第十二条): a mediation case cannot close without its outcome', async () => {
  const { h } = await handling();
  await contact(h);
  await update(h, m.mediationUpdate, { ...actor('handler') });
  const r = await refused(update(h, m.draftReplyUpdate, { ...actor('handler'), ...fullReply(await lastContactAt(h)) }));
  expect(r.rules).toEqual(['reply.mediation-outcome']);
  await update(h, m.mediationUpdate, { ...actor('handler'), outcome: '双方达成调解协议，企业退还多收费用' });
  expect((await draftAndClose(h)).status).toBe('closed');
});

test('defect 15 (an Update its activities cannot carry out): a write the database refuses is recorded on the ticket, not retried for ever', async () => {
  const { d, h } = await open();
  await update(h, m.returnUpdate, { ...actor('acceptor'), ground: 'incomplete-info', evidence: { itemsToVerify: ['事发地点'] } });
  // Straight to the workflow, past the API's check of unit ids: the read model refuses the unknown unit (a foreign key).
  const started = Date.now();
  await h.executeUpdate(m.redispatchUpdate, { args: [{ by: 'platform', unitId: 'no-such-unit', dispatchedToUnitAt: await nowSecond(), note: '错派' }] });
  expect(Date.now() - started).toBeLessThan(20_000);
  const s = await state(h);
  expect(s.problems.at(-1)).toMatchObject({ activity: 'recordSteps' });
  expect(s.problems.at(-1)!.message).toContain('P2003');
  expect(await events(d.ticketNo)).toContain('returned');
});

describe('defect 21 (a bounded history)', () => {
  test('past its history limit a ticket continues as new with its state, and its timers still fire', async () => {
    const limited = t.rig;
    const service = new TicketService({ db: limited.db, client: limited.env.client, taskQueue: limited.taskQueue, now: () => limited.env.currentTimeMs(), historyEventsLimit: 100 });
    const now = await limited.env.currentTimeMs();
    const d = dispatch({ dispatchedAt: new Date(now - 600_000).toISOString(), dispatchedToUnitAt: new Date(now).toISOString() });
    await service.dispatch(d);
    const h = limited.env.client.workflow.getHandle(d.ticketNo);
    const first = (await h.describe()).runId;
    await h.executeUpdate(m.acceptUpdate, { args: [{ unitId: UNIT, acceptedBy: 'acceptor' }] });
    await h.executeUpdate(m.assignUpdate, { args: [{ by: 'acceptor', unitId: UNIT, departmentIds: ['passenger-division'] }] });
    for (let i = 0; i < 30; i++) {
      const at = new Date(Math.floor((await limited.env.currentTimeMs()) / 1000) * 1000).toISOString();
      await h.executeUpdate(m.contactUpdate, { args: [{ by: 'handler', unitId: UNIT, at, staffName: '李明', method: 'phone', reached: false, outcome: `第${i + 1}次无人接听` }] });
    }
    const continued = await eventually(() => h.describe(), (x) => x.runId !== first);
    expect(continued.runId).not.toBe(first);
    const s = await h.query(m.getStateQuery);
    expect(s.contacts).toHaveLength(30);
    expect(s.lastEventSequence).toBeGreaterThan(30);
    await limited.env.sleep(Date.parse(s.deadlines.remindAt!) - (await limited.env.currentTimeMs()) + 60_000);
    expect(round(await h.query(m.getStateQuery)).reminded).toBe(true);
    const rows = await limited.db.ticketEvent.findMany({ where: { ticketNo: d.ticketNo }, orderBy: { sequence: 'asc' } });
    expect(rows.map((r) => r.sequence)).toEqual(rows.map((_, i) => i + 1));
  });
});

test('defect 11 (第十六条(二)): the workflow checks a reply against the complaint\'s keywords, and refuses one that answers another matter', async () => {
  const { d, h } = await handling();
  await contact(h);
  const s = await state(h);
  // The keywords of the complaint came with the dispatch, without the reporter's name or number.
  expect(s.input.complaintKeywords).toEqual(expect.arrayContaining(['拒载']));
  expect(JSON.stringify(s.input)).not.toContain(d.reporter.anonymous ? '—' : d.reporter.phone);
  const offTopic = {
    ...fullReply(await lastContactAt(h)),
    text: '市道路运输局工作人员李明（联系电话022-23456789）于2026年11月28日10时30分电话联系反映人。经核查，该小区供暖管道维修已于11月27日完成，暖气已恢复。反映人表示满意。',
    process: '经核查小区供暖管道维修情况',
    result: '供暖管道维修已完成，暖气已恢复',
  };
  const r = await refused(update(h, m.draftReplyUpdate, { ...actor('handler'), ...offTopic }));
  expect(r.rules).toContain('reply.off-topic');
  expect(r.articles).toContain('第十六条(二)');
});

test('第十一条(四) a ticket dispatched on a holiday starts its clock at 00:00 of the next working day, and shows when', async () => {
  const { h } = await open({ dispatchedAt: '2026-10-03T10:00:00+08:00', dispatchedToUnitAt: '2026-10-03T10:05:00+08:00' });
  const s = await eventually(() => state(h), (x) => x.plannedFor !== null);
  expect(s.deadlines.clockStartedAt).toBe(new Date('2026-10-08T00:00:00+08:00').toISOString());
});

test('issue 12 (history): a decision that leaves the earliest due instant where it was keeps the running timer instead of restarting it', async () => {
  const { h } = await handling();
  const timers = async () => {
    const events = (await h.fetchHistory()).events ?? [];
    return { started: events.filter((e) => e.timerStartedEventAttributes).length, canceled: events.filter((e) => e.timerCanceledEventAttributes).length };
  };
  const before = await timers();
  const due = (await state(h)).deadlines;
  // Two contacts change the state but no deadline: the timer already running for the earliest instant stays.
  await contact(h);
  await contact(h, false);
  expect((await state(h)).deadlines).toEqual(due);
  expect(await timers()).toEqual(before);
  // The history says so: the patch marker is on it (histories without it re-plan on every change, as they ran).
  const markers = ((await h.fetchHistory()).events ?? []).filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch');
  expect(markers.length).toBeGreaterThan(0);
});
