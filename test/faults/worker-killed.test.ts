/**
 * Faults (issue 11), on a real Temporal dev server with the worker in a process of its own:
 * - the worker is killed with SIGKILL while 200 tickets are open and their acceptances are in flight, then started
 *   again: every decision lands once, every ticket reaches the state its decision calls for, and the workflow state,
 *   the read model, the audit trail and the outbox agree (reconcile: 0 differences; no event or notification twice);
 * - timers that fall due while the worker is dead fire once it is back, each once;
 * - two decisions on one ticket at the same moment: exactly one wins, the other is a 409 with the reason;
 * - reconciliation reports a read-model row that drifted from its workflow, and --repair puts it right.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createApp } from '../../api/app';
import type { Db } from '../../lib/db';
import { createLogger } from '../../lib/logger';
import { reconcile } from '../../lib/reconcile';
import { getStateQuery } from '../../workflows/messages';
import { bearer, principal, TEST_AUTH } from '../helpers/auth';
import { devServerEnv, dispatch, eventually, reachedUnitFor, testDb, untilTimersRunning } from '../helpers/env';
import { decideUntilAnswered, postJson } from '../helpers/decisions';
import { spawnWorker, type WorkerProcess } from '../helpers/worker-process';

jest.setTimeout(600_000);

const taskQueue = `faults-worker-${process.pid}`;
const UNIT = 'road-transport-bureau';
let env: TestWorkflowEnvironment;
let db: Db;
let server: Server;
let base: string;
let worker: WorkerProcess | null = null;

function startWorker(): WorkerProcess {
  return spawnWorker(env.address, taskQueue);
}

async function killWorker(signal: NodeJS.Signals): Promise<void> {
  const w = worker;
  worker = null;
  await w?.kill(signal);
}

beforeAll(async () => {
  env = await devServerEnv();
  db = testDb();
  const app = createApp({ db, client: env.client, namespace: 'default', taskQueue, logger: createLogger(process.env.FAULT_LOG ?? 'error'), auth: TEST_AUTH, rateLimitPerMinute: 1_000_000, ticketWritesPerUserPerHour: 1_000_000 });
  server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
  worker = startWorker();
});

afterAll(async () => {
  await killWorker('SIGTERM');
  await new Promise((r) => server?.close(r));
  await db?.$disconnect();
  await env?.teardown();
});

const post = (path: string, authorization: string, body?: unknown, headers?: Record<string, string>) => postJson(`${base}${path}`, authorization, body, headers);
const decide = (path: string, authorization: string, key: string) => decideUntilAnswered(`${base}${path}`, authorization, key);

/** `n` tickets that reached the unit at `toUnitAt` (now by default; 第八条(一): acceptance is due 3 h later). */
async function dispatchMany(n: number, prefix: string, toUnitAt = new Date()): Promise<string[]> {
  const platform = await bearer(principal('hotline-platform', ['dispatcher'], 'platform-bridge'));
  const now = toUnitAt.getTime();
  const nos: string[] = [];
  for (let i = 0; i < n; i += 20) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(20, n - i) }, async (_, j) => {
        const d = dispatch({ ticketNo: `${prefix}${String(i + j).padStart(4, '0')}`, unitId: UNIT, dispatchedAt: new Date(now - 60_000).toISOString(), dispatchedToUnitAt: new Date(now).toISOString() });
        const r = await post('/tickets', platform, d);
        expect(r.status).toBe(201);
        return d.ticketNo;
      }),
    );
    nos.push(...batch);
  }
  return nos;
}

test('the worker killed with SIGKILL while 200 acceptances are in flight: after a restart each lands once, and state, read model, trail and outbox agree', async () => {
  const prefix = `FK${Date.now().toString(36).toUpperCase()}`;
  const nos = await dispatchMany(200, prefix);
  await eventually(() => db.ticket.count({ where: { ticketNo: { startsWith: prefix } } }), (n) => n === 200, 60_000);

  const acceptor = await bearer(principal(UNIT, ['acceptor'], 'rtb-acceptor-faults'));
  const answers = Promise.all(nos.map((no) => decide(`/tickets/${no}/accept`, acceptor, `accept-${no}`)));
  // Kill it while the decisions are being taken: some are done, some are in the middle.
  await eventually(() => db.ticket.count({ where: { ticketNo: { startsWith: prefix }, status: 'accepted' } }), (n) => n >= 20, 120_000);
  await killWorker('SIGKILL');
  const acceptedAtKill = await db.ticket.count({ where: { ticketNo: { startsWith: prefix }, status: 'accepted' } });
  expect(acceptedAtKill).toBeLessThan(200);
  worker = startWorker();

  const results = await answers;
  // While no worker ran, a decision was answered 503 with the reason (never a 500); its retry with the same key is the
  // same Update, so each acceptance ends answered 200 — none lost, none refused as a second acceptance.
  const finals = results.map((r) => r.at(-1)!);
  expect(finals.filter((r) => r.status !== 200).map((r) => `${r.status} ${JSON.stringify(r.body).slice(0, 200)}`)).toEqual([]);
  const interim = results.flatMap((r) => r.slice(0, -1));
  // Each interim answer is a 503 saying why: the workflow did not take the decision in time, or Temporal gave it up.
  expect(interim.filter((r) => !(r.status === 503 && /did not take the decision|gave up the decision|Temporal/.test(r.body.detail))).map((r) => `${r.status} ${r.body.detail}`)).toEqual([]);

  for (const no of nos.slice(0, 200)) {
    const state = await env.client.workflow.getHandle(no).query(getStateQuery);
    expect({ no, status: state.status }).toEqual({ no, status: 'accepted' });
  }
  // The read model catches up with every workflow, and the trail has each event once.
  await eventually(() => db.ticket.count({ where: { ticketNo: { startsWith: prefix }, status: 'accepted' } }), (n) => n === 200, 120_000);
  const report = await reconcile(db, env.client, { ticketNos: nos });
  expect(report.unreadable).toEqual([]);
  expect(report.differences).toEqual([]);
  expect(report.checked).toBe(200);
  const accepted = await db.ticketEvent.groupBy({ by: ['ticketNo'], where: { ticketNo: { startsWith: prefix }, type: 'accepted' }, _count: true });
  expect(accepted).toHaveLength(200);
  expect(accepted.every((g) => g._count === 1)).toBe(true);
  const outbox = await db.notification.groupBy({ by: ['idempotencyKey'], where: { ticketNo: { startsWith: prefix } }, _count: true });
  expect(outbox.every((g) => g._count === 1)).toBe(true);
});

test('timers that fell due while the worker was dead fire once it is back: each acceptance limit is marked once, with its notifications once', async () => {
  const prefix = `FT${Date.now().toString(36).toUpperCase()}`;
  // 30 tickets whose 3-hour acceptance limit (第八条(一)) falls 75 s from now: they reached the unit 2 h 58 min 45 s ago.
  const dueAt = Date.now() + 75_000;
  const nos = await dispatchMany(30, prefix, reachedUnitFor(dueAt));
  // Each acceptance timer is running in Temporal before the worker dies.
  const pending = await untilTimersRunning(env.client, nos, 60_000);
  expect(pending).toBe(0);
  await killWorker('SIGKILL');
  // None had fired when the worker died (the test needs the limits to pass while it is down).
  expect(await db.ticket.count({ where: { ticketNo: { startsWith: prefix }, acceptOverdue: true } })).toBe(0);
  await new Promise((r) => setTimeout(r, Math.max(0, dueAt - Date.now()) + 5_000));
  expect(await db.ticket.count({ where: { ticketNo: { startsWith: prefix }, acceptOverdue: true } })).toBe(0);

  worker = startWorker();
  // Every limit that passed while no worker ran is marked within 60 s of the restart, in the workflow and the read model.
  const marked = await eventually(() => db.ticket.count({ where: { ticketNo: { startsWith: prefix }, acceptOverdue: true } }), (n) => n === 30, 60_000);
  expect(marked).toBe(30);
  for (const no of nos) expect(await env.client.workflow.getHandle(no).query(getStateQuery)).toMatchObject({ status: 'dispatched', acceptOverdue: true });
  // Once each: one event, and one notice to the unit and one to 委政务服务处 per ticket.
  const events = await db.ticketEvent.groupBy({ by: ['ticketNo'], where: { ticketNo: { startsWith: prefix }, type: 'acceptance-overdue' }, _count: true });
  expect(events.map((g) => g._count)).toEqual(Array(30).fill(1));
  const notices = await db.notification.groupBy({ by: ['ticketNo', 'recipientRole'], where: { ticketNo: { startsWith: prefix }, kind: 'acceptance-overdue' }, _count: true });
  expect(notices).toHaveLength(60);
  expect(notices.every((g) => g._count === 1)).toBe(true);
  const report = await reconcile(db, env.client, { ticketNos: nos });
  expect(report.differences).toEqual([]);
});

test('two decisions on one ticket at the same moment: exactly one wins, the other is a 409 with the reason', async () => {
  const [no] = await dispatchMany(1, `FC${Date.now().toString(36).toUpperCase()}`);
  await eventually(() => db.ticket.count({ where: { ticketNo: no } }), (n) => n === 1, 60_000);
  const a = await bearer(principal(UNIT, ['acceptor'], 'rtb-acceptor-a'));
  const b = await bearer(principal(UNIT, ['acceptor'], 'rtb-acceptor-b'));
  // Each as a careful client sends it (a 503 — no worker took it in time on a loaded machine — is repeated with its key).
  const [xs, ys] = await Promise.all([decide(`/tickets/${no}/accept`, a, `race-a-${no}`), decide(`/tickets/${no}/accept`, b, `race-b-${no}`)]);
  const x = xs.at(-1)!;
  const y = ys.at(-1)!;
  expect([x.status, y.status].sort()).toEqual([200, 409]);
  const lost = x.status === 409 ? x : y;
  expect(lost.body.violations?.[0]).toMatchObject({ rule: expect.any(String), article: expect.any(String), reason: expect.any(String) });
  const state = await env.client.workflow.getHandle(no!).query(getStateQuery);
  expect(state.acceptedBy).toBe(x.status === 200 ? 'rtb-acceptor-a' : 'rtb-acceptor-b');
  expect(await db.ticketEvent.count({ where: { ticketNo: no, type: 'accepted' } })).toBe(1);
});

test('reconciliation reports a row that drifted from its workflow, and repair puts it right', async () => {
  const [no] = await dispatchMany(1, `FR${Date.now().toString(36).toUpperCase()}`);
  // The workflow's first write (its handling round) follows the intake's row: the drift is made after it.
  await eventually(() => db.ticket.count({ where: { ticketNo: no, rounds: { not: [] } } }), (n) => n === 1, 120_000);
  expect((await reconcile(db, env.client, { ticketNos: [no!] })).differences).toEqual([]);
  await db.ticket.update({ where: { ticketNo: no }, data: { status: 'closed', acceptOverdue: true } });
  const found = await reconcile(db, env.client, { ticketNos: [no!], includeSettled: true });
  expect(found.differences.map((d) => [d.field, d.readModel, d.workflow]).sort()).toEqual([
    ['acceptOverdue', true, false],
    ['status', 'closed', 'dispatched'],
  ]);
  const repaired = await reconcile(db, env.client, { ticketNos: [no!], includeSettled: true, repair: true });
  expect(repaired.repaired).toBe(1);
  expect((await reconcile(db, env.client, { ticketNos: [no!] })).differences).toEqual([]);
  expect((await db.ticket.findUniqueOrThrow({ where: { ticketNo: no } })).status).toBe('dispatched');
});

test('reconciliation reports a notification of no event and one whose delivery was lost, and repair delivers the lost one', async () => {
  const [no] = await dispatchMany(1, `FO${Date.now().toString(36).toUpperCase()}`);
  await eventually(() => db.ticket.count({ where: { ticketNo: no, rounds: { not: [] } } }), (n) => n === 1, 120_000);
  expect((await reconcile(db, env.client, { ticketNos: [no!] })).differences).toEqual([]);
  // A row of event 99, which the trail does not have, and a notice of event 1 queued an hour ago and never attempted.
  const base = { ticketNo: no!, kind: 'acceptance-overdue', recipientRole: 'service-division', recipientUnit: 'service-division' };
  await db.notification.create({ data: { ...base, idempotencyKey: `${no}:99:service-division:service-division` } });
  await db.notification.create({ data: { ...base, idempotencyKey: `${no}:1:service-division:lost`, createdAt: new Date(Date.now() - 3600_000) } });
  const found = await reconcile(db, env.client, { ticketNos: [no!], settleAttempts: 0 });
  expect(found.differences.map((d) => [d.field, d.readModel])).toEqual([
    ['outbox', `${no}:99:service-division:service-division`],
    ['outbox-undelivered', expect.stringContaining(`${no}:1:service-division:lost: pending since`)],
  ]);
  const repaired = await reconcile(db, env.client, { ticketNos: [no!], settleAttempts: 0, repair: true, taskQueue });
  expect(repaired.repaired).toBe(1);
  // Delivered again through the worker (no webhook here: kept in the outbox as skipped), so no longer lost.
  const lost = await eventually(() => db.notification.findUniqueOrThrow({ where: { idempotencyKey: `${no}:1:service-division:lost` } }), (n) => n.status !== 'pending', 60_000);
  expect(lost.status).toBe('skipped');
  const after = await reconcile(db, env.client, { ticketNos: [no!], settleAttempts: 0 });
  expect(after.differences.map((d) => d.field)).toEqual(['outbox']);
});
