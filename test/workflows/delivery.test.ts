/**
 * The lifecycle talking to the outside: the approved reply goes to the hotline platform's connector (第十五条) and the
 * queued notifications to the webhook, HMAC-signed — both real local HTTP receivers — from a workflow on the
 * time-skipping server.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { UpdateDefinition } from '@temporalio/common';
import { verifySignature } from '../../activities/notifications';
import { TicketService } from '../../api/ticket-service';
import type { Dispatch } from '../../api/schemas';
import type { Db } from '../../lib/db';
import * as m from '../../workflows/messages';
import { json, startReceiver, type Receiver } from '../activities/receiver';
import { dispatch, eventually, timeSkippingRig } from '../helpers/env';

const taskQueue = 'delivery-test';
const UNIT = 'road-transport-bureau';
const SECRET = 'webhook-secret-for-tests-0123456789';
let platform: Receiver;
let webhook: Receiver;
const PLATFORM_REPLY_TIME = '2026-11-28T09:30:00.000Z';

// The receivers start first: the worker is configured with their addresses.
beforeAll(async () => {
  // The platform refuses replies of tickets whose number contains REFUSE, and takes the others.
  platform = await startReceiver((req, res) =>
    req.path.includes('REFUSE')
      ? json(res, 422, { error: '答复内容缺少办理结果' })
      : json(res, 200, { receiptId: `P-${req.path.split('/')[2]}`, acceptedAt: PLATFORM_REPLY_TIME }),
  );
  // The webhook fails the first delivery of each notification, then accepts: delivery is retried.
  const seen = new Set<string>();
  webhook = await startReceiver((req, res) => {
    const key = String(req.headers['idempotency-key']);
    if (!seen.has(key)) {
      seen.add(key);
      return json(res, 503, { error: 'busy' });
    }
    json(res, 200, { ok: true });
  });
});
afterAll(async () => {
  await platform?.close();
  await webhook?.close();
});

const rig = timeSkippingRig(taskQueue, () => ({ platform: { baseUrl: platform.url, token: 'platform-token' }, webhook: { url: webhook.url, secret: SECRET } }));
let env: TestWorkflowEnvironment;
let db: Db;
let service: TicketService;
beforeAll(() => ({ env, db, service } = rig));

/** Dispatches a ticket reaching the unit now, takes it through handling, and approves a reply that passes 第十六条. */
async function handleAndApprove(overrides: Partial<Dispatch> = {}, replyText = '市道路运输局工作人员李明（联系电话022-23456789）于2026年11月28日10时30分电话联系反映人。经调查核实，涉事出租车司机拒载属实，已对驾驶员处以罚款200元。反映人表示满意。') {
  const now = await env.currentTimeMs();
  const d = dispatch({ dispatchedAt: new Date(now - 600_000).toISOString(), dispatchedToUnitAt: new Date(now).toISOString(), ...overrides });
  await service.dispatch(d);
  const h = env.client.workflow.getHandle(d.ticketNo);
  const up = <C>(def: UpdateDefinition<m.DecisionResult, [C]>, c: C) => h.executeUpdate(def, { args: [c] });
  await up(m.acceptUpdate, { unitId: UNIT, acceptedBy: 'acceptor' });
  await up(m.assignUpdate, { by: 'acceptor', unitId: UNIT, departmentIds: ['passenger-division'] });
  const at = new Date(Math.floor(now / 1000) * 1000).toISOString();
  await up(m.contactUpdate, { by: 'handler', unitId: UNIT, at, staffName: '李明', method: 'phone', reached: true, outcome: '已了解情况' });
  await up(m.draftReplyUpdate, {
    by: 'handler',
    unitId: UNIT,
    text: replyText,
    contactedAt: at,
    staffName: '李明',
    staffPhone: '022-23456789',
    process: '经调查核实，涉事出租车司机拒载属实',
    result: '对驾驶员处以罚款200元并扣减服务质量信誉考核分',
    reporterFeedback: '反映人表示满意',
  });
  await up(m.reviewReplyUpdate, { by: 'reviewer', unitId: UNIT, approved: true });
  return { d, h };
}

test('第十五条 the reviewed reply reaches the platform once, and the platform\'s reply time closes the ticket', async () => {
  const { d, h } = await handleAndApprove();

  const closed = await eventually(() => h.query(m.getStateQuery), (s) => s.status === 'closed');
  expect(closed.rounds.at(-1)!.closedAt).toBe(PLATFORM_REPLY_TIME);
  expect(closed.platformReceipt).toBe(`P-${d.ticketNo}`);
  const sent = platform.requests.filter((r) => r.path === `/tickets/${d.ticketNo}/reply`);
  expect(sent).toHaveLength(1);
  expect(sent[0]!.headers.authorization).toBe('Bearer platform-token');
  expect(sent[0]!.headers['idempotency-key']).toMatch(new RegExp(`^${d.ticketNo}:reply:0:\\d+$`));
  expect(JSON.parse(sent[0]!.rawBody)).toMatchObject({ repliedBy: 'handler', reviewedBy: 'reviewer' });
  const row = await eventually(() => db.ticket.findUniqueOrThrow({ where: { ticketNo: d.ticketNo } }), (t) => t.status === 'closed');
  expect(row.closedAt?.toISOString()).toBe(PLATFORM_REPLY_TIME);
});

test('defect 8 (第十六条(一)): what the platform receives carries all six elements as text, the structured fields included', async () => {
  const { d, h } = await handleAndApprove({}, '经调查核实，涉事出租车司机拒载属实，已对驾驶员处以罚款200元并扣减服务质量信誉考核分。');
  await eventually(() => h.query(m.getStateQuery), (s) => s.status === 'closed');
  const sent = JSON.parse(platform.requests.find((r) => r.path === `/tickets/${d.ticketNo}/reply`)!.rawBody) as { text: string };
  expect(sent.text).toContain('李明');
  expect(sent.text).toContain('022-23456789');
  expect(sent.text).toContain('反映人表示满意');
  expect(sent.text).toContain('罚款200元');
  const row = await db.ticket.findUniqueOrThrow({ where: { ticketNo: d.ticketNo } });
  expect(row.replyText).toBe(sent.text);
});

test('notifications reach the webhook signed, after a failed first attempt, each exactly once delivered', async () => {
  const now = await env.currentTimeMs();
  const d = dispatch({ urgency: 'critical', dispatchedAt: new Date(now).toISOString(), dispatchedToUnitAt: new Date(now).toISOString() });
  await service.dispatch(d);
  const h = env.client.workflow.getHandle(d.ticketNo);
  await h.executeUpdate(m.flagUpdate, { args: [{ by: 'acceptor', unitId: UNIT, sensitive: true, note: '网络已有转发' }] });
  const rows = await eventually(
    () => db.notification.findMany({ where: { ticketNo: d.ticketNo, kind: 'sensitive-flagged' } }),
    (n) => n.length === 2 && n.every((x) => x.status === 'sent'),
  );
  expect(rows.map((r) => [r.recipientRole, r.status, r.attempts])).toEqual(
    expect.arrayContaining([
      ['unit-leader', 'sent', 2],
      ['service-division', 'sent', 2],
    ]),
  );
  for (const row of rows) {
    const deliveries = webhook.requests.filter((r) => r.headers['idempotency-key'] === row.idempotencyKey);
    expect(deliveries).toHaveLength(2);
    const last = deliveries[1]!;
    expect(verifySignature(SECRET, String(last.headers['x-hotline-timestamp']), last.rawBody, String(last.headers['x-hotline-signature']))).toBe(true);
    expect(last.rawBody).not.toContain(d.reporter.anonymous ? '张三' : d.reporter.phone);
  }
});

test('第十五条 a reply the platform refuses for good goes back to the unit with the platform\'s reason, to be drafted again', async () => {
  const { d, h } = await handleAndApprove({ ticketNo: `REFUSE${Date.now().toString(36).toUpperCase()}` });
  const back = await eventually(() => h.query(m.getStateQuery), (s) => s.status === 'contacted');
  expect(back.status).toBe('contacted');
  expect(back.rounds.at(-1)!.closedAt).toBeNull();
  const events = await eventually(
    () => db.ticketEvent.findMany({ where: { ticketNo: d.ticketNo }, orderBy: { sequence: 'asc' } }),
    (e) => e.some((x) => x.type === 'reply-refused-by-platform'),
  );
  expect(JSON.stringify(events.find((e) => e.type === 'reply-refused-by-platform')!.payload)).toContain('422');
  expect(await db.notification.count({ where: { ticketNo: d.ticketNo, kind: 'reply-refused-by-platform', recipientRole: 'unit' } })).toBe(1);
});
