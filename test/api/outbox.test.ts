/**
 * The outbox for administrators (issue 11): the notifications that failed for good are listed, and one sent again
 * reaches the receiver under its own key; a delivered or still-retrying row is not sent again. A real Temporal dev
 * server, a worker whose webhook is a real HTTP receiver, the API on a free port.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { createApp } from '../../api/app';
import type { Db } from '../../lib/db';
import { createLogger } from '../../lib/logger';
import { createWorker } from '../../lib/worker';
import { json, startReceiver, type Receiver } from '../activities/receiver';
import { bearer, principal, TEST_AUTH } from '../helpers/auth';
import { devServerEnv, eventually, testDb } from '../helpers/env';

const taskQueue = 'outbox-admin';
const tag = `outbox-${Date.now().toString(36)}-${process.pid}`;
let env: TestWorkflowEnvironment;
let db: Db;
let worker: Worker;
let running: Promise<void>;
let receiver: Receiver;
let server: Server;
let base: string;
let admin: string;

beforeAll(async () => {
  env = await devServerEnv();
  db = testDb();
  receiver = await startReceiver((_req, res) => json(res, 200, { ok: true }));
  worker = await createWorker({ connection: env.nativeConnection, namespace: 'default', taskQueue, db, webhook: { url: receiver.url, secret: 'outbox-test-webhook-secret' } });
  running = worker.run();
  const app = createApp({ db, client: env.client, namespace: 'default', taskQueue, logger: createLogger('silent'), auth: TEST_AUTH });
  server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
  admin = await bearer(principal('service-division', ['admin']));
});

afterAll(async () => {
  await new Promise((r) => server?.close(r));
  worker?.shutdown();
  await running;
  await receiver?.close();
  await db?.notification.deleteMany({ where: { kind: tag } });
  await db?.$disconnect();
  await env?.teardown();
});

const row = (key: string, status: string, extra: Record<string, unknown> = {}) =>
  db.notification.create({ data: { idempotencyKey: `${tag}:${key}`, kind: tag, ticketNo: null, recipientRole: 'unit', recipientUnit: 'road-transport-bureau', payload: { note: key }, status, attempts: 3, lastError: 'HTTP 400: refused', ...extra } });

async function call(method: string, path: string, authorization = admin) {
  const res = await fetch(`${base}${path}`, { method, headers: { authorization } });
  return { status: res.status, body: (await res.json()) as any };
}

test('the failed notifications are listed for administrators only; one sent again reaches the receiver under its key', async () => {
  const failed = await row('refused', 'failed');
  await row('sent', 'sent', { sentAt: new Date(), lastError: null });

  const list = await call('GET', `/admin/outbox?status=failed&kind=${tag}`);
  expect(list.status).toBe(200);
  expect(list.body.items.map((i: { key: string }) => i.key)).toEqual([`${tag}:refused`]);
  expect(list.body.items[0]).toMatchObject({ status: 'failed', attempts: 3, lastError: 'HTTP 400: refused' });
  expect((await call('GET', '/admin/outbox', await bearer(principal('service-division', ['supervisor'])))).status).toBe(403);

  const again = await call('POST', `/admin/outbox/${failed.id}/redeliver`);
  expect(again.status).toBe(202);
  expect(again.body).toMatchObject({ key: `${tag}:refused`, status: 'pending' });
  const delivered = await eventually(() => db.notification.findUniqueOrThrow({ where: { id: failed.id } }), (n) => n.status === 'sent', 60_000);
  expect(delivered.status).toBe('sent');
  expect(delivered.attempts).toBe(4);
  expect(receiver.requests.filter((r) => r.headers['idempotency-key'] === `${tag}:refused`)).toHaveLength(1);

  // Sent now: not again.
  const twice = await call('POST', `/admin/outbox/${failed.id}/redeliver`);
  expect(twice.status).toBe(409);
  expect(twice.body.detail).toContain('was delivered');
});

test('a row still retrying is not sent a second way, and an unknown row is a 404', async () => {
  const pending = await row('retrying', 'pending');
  const a = await call('POST', `/admin/outbox/${pending.id}/redeliver`);
  expect(a.status).toBe(409);
  expect(a.body.detail).toContain('being delivered');
  expect((await call('POST', '/admin/outbox/999999999999/redeliver')).status).toBe(404);
  expect((await call('GET', '/admin/outbox?status=lost')).status).toBe(400);
});
