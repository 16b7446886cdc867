/**
 * Tickets across units (issue 13; 第八条(四)1, 第九条, 第二十八条(六)) on the time-skipping server: a lead unit answers for
 * every demand, co-handling units handle their parts with their own acceptance, reminder and late mark, and the
 * consolidated reply carries every unit's result.
 */
import * as m from '../../workflows/messages';
import { eventually } from '../helpers/env';
import { fullReply, ticketDriver, UNIT } from '../helpers/tickets';

const HOUR = 3600_000;
const PSB = 'port-shipping-bureau';
const TEC = 'transport-enforcement-corps';
const t = ticketDriver('parts-test');
const { open, update, refused, events, actor, division, handling, contact, lastContactAt } = t;
const state = (h: { query: (q: typeof m.getStateQuery) => Promise<m.TicketState> }) => h.query(m.getStateQuery);
const part = (s: m.TicketState, unitId: string) => s.parts.find((p) => p.unitId === unitId)!;
const demands = { bus: '公交线路发车间隔过长', ferry: '轮渡码头停航未公告', officer: '执法人员态度粗暴' };

/** The lead unit's own answer on the bus timetable (its part of the demands). */
async function busReply(h: Parameters<typeof lastContactAt>[0]) {
  return {
    ...fullReply(await lastContactAt(h)),
    text: '市道路运输局工作人员李明（联系电话022-23456789）于11月30日10时电话联系反映人。经核查，该公交线路发车间隔过长属实，已督促公交集团自12月1日起将高峰发车间隔缩短至8分钟。反映人表示满意。',
    process: '经核查公交线路发车间隔',
    result: '已督促公交集团将高峰发车间隔缩短至8分钟',
  };
}

/** A ticket of three demands: the bus timetable for the lead (市道路运输局), the ferry for 市港航局. */
async function threeDemands() {
  return handling({ parts: [{ unitId: PSB, demands: [demands.ferry] }], content: `反映三个问题：${demands.bus}；${demands.ferry}；公交车站台破损。` });
}

test('第八条(一) a co-handling unit accepts its part within 3 hours; late acceptance is marked and told', async () => {
  const { d, h } = await open({ parts: [{ unitId: PSB, demands: [demands.ferry] }] });
  const s0 = await eventually(() => state(h), (x) => x.plannedFor !== null);
  expect(part(s0, PSB)).toMatchObject({ status: 'dispatched', source: 'platform', demands: [demands.ferry] });
  expect(Date.parse(part(s0, PSB).acceptDueAt) - Date.parse(d.dispatchedToUnitAt)).toBe(3 * HOUR);
  await t.rig.env.sleep(3 * HOUR + 60_000);
  const s = await update(h, m.partAcceptUpdate, { unitId: PSB, acceptedBy: 'psb-acceptor' });
  expect(part(s, PSB)).toMatchObject({ status: 'accepted', acceptOverdue: true });
  const told = await t.rig.db.notification.findMany({ where: { ticketNo: d.ticketNo, kind: 'part-acceptance-overdue' } });
  expect(told.map((n) => n.recipientUnit).sort()).toEqual([PSB, 'service-division']);
});

test('spec decision (第九条): a part is due a working day before the ticket, reminded before, and a late part tells the lead and 委政务服务处', async () => {
  const { d, h } = await threeDemands();
  await update(h, m.partAcceptUpdate, { unitId: PSB, acceptedBy: 'psb-acceptor' });
  const s0 = await state(h);
  const dueAt = Date.parse(s0.deadlines.partDueAt!);
  expect(dueAt).toBeLessThan(Date.parse(s0.deadlines.dueAt!));
  expect(Date.parse(s0.deadlines.partRemindAt!)).toBeLessThan(dueAt);
  await t.rig.env.sleep(Date.parse(s0.deadlines.partRemindAt!) - (await t.rig.env.currentTimeMs()) + 60_000);
  expect(part(await state(h), PSB)).toMatchObject({ reminded: true, late: false });
  await t.rig.env.sleep(dueAt - (await t.rig.env.currentTimeMs()) + 60_000);
  expect(part(await state(h), PSB).late).toBe(true);
  const late = await eventually(() => t.rig.db.notification.findMany({ where: { ticketNo: d.ticketNo, kind: 'part-late' } }), (n) => n.length === 2);
  expect(late.map((n) => n.recipientUnit).sort()).toEqual([UNIT, 'service-division']);
  expect(await events(d.ticketNo)).toEqual(expect.arrayContaining(['part-reminded', 'part-late']));
});

test('第二十八条(六) the lead cannot reply while a part is open; the consolidated reply carries every unit\'s result and closes the ticket', async () => {
  const { d, h } = await threeDemands();
  await contact(h);
  const r = await refused(update(h, m.draftReplyUpdate, { ...actor('handler'), ...(await busReply(h)) }));
  expect(r.rules).toEqual(['reply.part-results']);
  expect(r.articles).toEqual(['第二十八条(六)']);
  // Only the co-handling unit acts on its part, and only on its own.
  expect((await refused(update(h, m.partResultUpdate, { by: 'tec-handler', unitId: TEC, result: '已处理' }))).rules).toContain('part-result.not-a-part');
  await update(h, m.partAcceptUpdate, { unitId: PSB, acceptedBy: 'psb-acceptor' });
  await update(h, m.partContactUpdate, { by: 'psb-handler', unitId: PSB, at: await t.nowSecond(), staffName: '赵六', method: 'phone', reached: true, outcome: '已向反映人说明停航原因' });
  await update(h, m.partResultUpdate, { by: 'psb-handler', unitId: PSB, result: '已督促轮渡公司在码头公告停航信息，并于11月30日恢复航班' });
  await update(h, m.draftReplyUpdate, { ...actor('handler'), ...(await busReply(h)) });
  await update(h, m.reviewReplyUpdate, { ...actor('reviewer'), approved: true });
  const closed = await eventually(() => state(h), (x) => x.status === 'closed');
  expect(part(closed, PSB).status).toBe('submitted');
  const row = await t.rig.db.ticket.findUniqueOrThrow({ where: { ticketNo: d.ticketNo } });
  expect(row.replyText).toContain('恢复航班');
  expect(row.involvedUnits).toEqual([UNIT, PSB]);
});

test('第八条(四)1 a co-handling unit cannot return the ticket; it disputes its part and 委政务服务处 reassigns it', async () => {
  const { h } = await threeDemands();
  const r = await refused(update(h, m.returnUpdate, { by: 'psb-acceptor', unitId: PSB, ground: 'not-our-duty', evidence: { reasons: '公交线路不属本单位职责', basis: '三定方案', proposedTransferee: '市道路运输局' } }));
  expect(r.rules).toContain('return.co-handling-unit');
  expect(r.articles).toContain('第八条(四)1');
  await update(h, m.partDisputeUpdate, { by: 'psb-acceptor', unitId: PSB, reason: '码头属区交通局管理，不属本单位职责' });
  expect((await refused(update(h, m.partReassignUpdate, { ...actor('leader'), fromUnitId: PSB, toUnitId: TEC, note: '改派' }))).rules).toContain('part-reassign.service-division');
  const s = await update(h, m.partReassignUpdate, { ...division(), fromUnitId: PSB, toUnitId: TEC, note: '经核实由执法总队负责' });
  expect(s.parts.map((p) => [p.unitId, p.status, p.demands])).toEqual([[TEC, 'dispatched', [demands.ferry]]]);
});

test('第八条(四)1 the lead unit asks for help instead of returning; 委政务服务处 approves and the unit gets its part', async () => {
  const { d, h } = await handling();
  const ask = { ...actor('acceptor'), partUnitId: TEC, demands: [demands.officer], reason: '涉及执法人员作风问题，需执法总队协办' };
  expect((await refused(update(h, m.helpRequestUpdate, { ...ask, unitId: PSB }))).rules).toContain('help-request.lead');
  await update(h, m.helpRequestUpdate, ask);
  expect((await refused(update(h, m.helpDecisionUpdate, { ...actor('leader'), approved: true, note: '同意' }))).rules).toContain('help-decision.service-division');
  const s = await update(h, m.helpDecisionUpdate, { ...division(), approved: true, note: '同意由执法总队协办' });
  expect(part(s, TEC)).toMatchObject({ source: 'help-request', status: 'dispatched', demands: [demands.officer] });
  const told = await eventually(() => t.rig.db.notification.findMany({ where: { ticketNo: d.ticketNo, kind: 'part-dispatched' } }), (n) => n.length === 2);
  expect(told.map((n) => n.recipientUnit).sort()).toEqual([UNIT, TEC].sort());
  // 委政务服务处 can add a unit at any time before closure, but not the lead itself.
  expect((await refused(update(h, m.addPartUpdate, { ...division(), partUnitId: UNIT, demands: ['x'] }))).rules).toContain('part.lead');
  expect(part(await update(h, m.addPartUpdate, { ...division(), partUnitId: PSB, demands: [demands.ferry] }), PSB).source).toBe('service-division');
});

test('第二十八条(六) a part added after the reply was drafted holds the approval until its result is in', async () => {
  const { h } = await handling({ content: `反映两个问题：${demands.bus}；${demands.officer}。` });
  await contact(h);
  await update(h, m.draftReplyUpdate, { ...actor('handler'), ...(await busReply(h)) });
  await update(h, m.addPartUpdate, { ...division(), partUnitId: TEC, demands: [demands.officer] });
  const r = await refused(update(h, m.reviewReplyUpdate, { ...actor('reviewer'), approved: true }));
  expect(r.rules).toEqual(['reply.part-results']);
  await update(h, m.partAcceptUpdate, { unitId: TEC, acceptedBy: 'tec-acceptor' });
  await update(h, m.partResultUpdate, { by: 'tec-handler', unitId: TEC, result: '已对执法人员批评教育并向反映人致歉' });
  await update(h, m.reviewReplyUpdate, { ...actor('reviewer'), approved: true });
  expect((await eventually(() => state(h), (x) => x.status === 'closed')).status).toBe('closed');
});
