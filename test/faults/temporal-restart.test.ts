/**
 * The Temporal dev server killed and restarted on its SQLite file (issue 11), as `npm start` runs it: the worker (a
 * process of its own) and the API stay up through the outage. Meanwhile a decision answers 503 with the reason and
 * reads still answer from the read model; after the restart the timers that fell due while the server was down fire
 * within 60 s, the decision taken again with its key lands once, and no ticket is stuck.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { Client, Connection } from '@temporalio/client';
import { createApp } from '../../api/app';
import type { Db } from '../../lib/db';
import { startDevServer, type DevServer, type DevServerOptions } from '../../lib/dev-server';
import { freePort } from '../../lib/embedded-postgres';
import { createLogger } from '../../lib/logger';
import { reconcile } from '../../lib/reconcile';
import { connectClient } from '../../lib/temporal';
import { getStateQuery } from '../../workflows/messages';
import { bearer, principal, TEST_AUTH } from '../helpers/auth';
import { decideUntilAnswered, postJson } from '../helpers/decisions';
import { dispatch, eventually, reachedUnitFor, testDb, untilTimersRunning } from '../helpers/env';
import { spawnWorker, type WorkerProcess } from '../helpers/worker-process';

jest.setTimeout(600_000);

const UNIT = 'road-transport-bureau';
const taskQueue = `faults-temporal-restart-${process.pid}`;
let dir: string;
let options: DevServerOptions;
let temporal: DevServer | null = null;
let connection: Connection;
let client: Client;
let db: Db;
let server: Server;
let base: string;
let worker: WorkerProcess;

/** Kills the server's whole process group at once, as a crash or an OOM kill would. */
function crashTemporal(): void {
  const pid = temporal!.process.pid!;
  temporal = null;
  process.kill(-pid, 'SIGKILL');
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'temporal-restart-'));
  options = { address: `127.0.0.1:${await freePort()}`, uiPort: 0, namespace: 'default', dbFile: path.join(dir, 'temporal.db'), headless: true };
  temporal = await startDevServer(options);
  ({ connection, client } = await connectClient(options.address, 'default'));
  db = testDb();
  const app = createApp({ db, client, namespace: 'default', taskQueue, logger: createLogger(process.env.FAULT_LOG ?? 'error'), auth: TEST_AUTH, rateLimitPerMinute: 1_000_000, ticketWritesPerUserPerHour: 1_000_000 });
  server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
  worker = spawnWorker(options.address, taskQueue);
});

afterAll(async () => {
  await worker?.kill('SIGTERM');
  await new Promise((r) => server?.close(r));
  await connection?.close();
  await db?.$disconnect();
  await temporal?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('Temporal killed and restarted on its SQLite file: timers due meanwhile fire within 60 s, a decision lands once, no ticket is stuck', async () => {
  const platform = await bearer(principal('hotline-platform', ['dispatcher'], 'platform-bridge'));
  const acceptor = await bearer(principal(UNIT, ['acceptor'], 'rtb-acceptor-restart'));
  const prefix = `TR${Date.now().toString(36).toUpperCase()}`;
  // 20 tickets whose 3-hour acceptance limit (第八条(一)) falls 60 s from now, and one the unit will accept during the outage.
  const dueAt = Date.now() + 60_000;
  const timed = Array.from({ length: 20 }, (_, i) => dispatch({ ticketNo: `${prefix}${String(i).padStart(2, '0')}`, unitId: UNIT, dispatchedAt: new Date(reachedUnitFor(dueAt).getTime() - 60_000).toISOString(), dispatchedToUnitAt: reachedUnitFor(dueAt).toISOString() }));
  const decided = dispatch({ ticketNo: `${prefix}D`, unitId: UNIT, dispatchedAt: new Date(Date.now() - 60_000).toISOString(), dispatchedToUnitAt: new Date().toISOString() });
  for (const d of [...timed, decided]) expect((await postJson(`${base}/tickets`, platform, d)).status).toBe(201);
  const nos = timed.map((d) => d.ticketNo);
  const pending = await untilTimersRunning(client, nos, 40_000);
  expect(pending).toBe(0);

  crashTemporal();
  // While Temporal is down: a decision is a 503 that says why (nothing is taken), and reads answer from the read model.
  const during = await postJson(`${base}/tickets/${decided.ticketNo}/accept`, acceptor, undefined, { 'idempotency-key': `accept-${decided.ticketNo}` });
  expect(during.status).toBe(503);
  expect(during.body.detail).toMatch(/Temporal/);
  const read = await fetch(`${base}/tickets/${nos[0]}`, { headers: { authorization: acceptor } });
  expect(read.status).toBe(200);
  expect(((await read.json()) as any).status).toBe('dispatched');
  // The limits pass while the server is down, and nothing marks them.
  await new Promise((r) => setTimeout(r, Math.max(0, dueAt - Date.now()) + 5_000));
  expect(await db.ticket.count({ where: { ticketNo: { in: nos }, acceptOverdue: true } })).toBe(0);

  temporal = await startDevServer(options);
  // Every limit that passed during the outage is marked within 60 s of the restart, by the worker that stayed up.
  const marked = await eventually(() => db.ticket.count({ where: { ticketNo: { in: nos }, acceptOverdue: true } }), (n) => n === nos.length, 60_000);
  expect(marked).toBe(nos.length);
  expect(worker.child.exitCode).toBeNull();
  for (const no of nos) expect(await client.workflow.getHandle(no).query(getStateQuery)).toMatchObject({ status: 'dispatched', acceptOverdue: true });
  const marks = await db.ticketEvent.groupBy({ by: ['ticketNo'], where: { ticketNo: { in: nos }, type: 'acceptance-overdue' }, _count: true });
  expect(marks.map((g) => g._count)).toEqual(nos.map(() => 1));

  // The decision refused during the outage, sent again with its key, lands once.
  const again = (await decideUntilAnswered(`${base}/tickets/${decided.ticketNo}/accept`, acceptor, `accept-${decided.ticketNo}`)).at(-1)!;
  expect(again.status).toBe(200);
  expect(await db.ticketEvent.count({ where: { ticketNo: decided.ticketNo, type: 'accepted' } })).toBe(1);
  // No ticket is stuck: each late ticket is still accepted (第八条(一): late, but accepted).
  const accepted = await Promise.all(nos.map(async (no) => (await decideUntilAnswered(`${base}/tickets/${no}/accept`, acceptor, `accept-${no}`)).at(-1)!.status));
  expect(accepted).toEqual(nos.map(() => 200));
  await eventually(() => db.ticket.count({ where: { ticketNo: { in: [...nos, decided.ticketNo] }, status: 'accepted' } }), (n) => n === nos.length + 1, 60_000);
  const report = await reconcile(db, client, { ticketNos: [...nos, decided.ticketNo] });
  expect(report.unreadable).toEqual([]);
  expect(report.differences).toEqual([]);
});
