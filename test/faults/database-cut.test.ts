/**
 * PostgreSQL unreachable for 60 s (issue 11): a TCP proxy the test controls stands between the processes (the API and
 * the worker) and the database, and is cut. Meanwhile reads answer 503 with the reason, a decision taken through
 * Temporal waits for the database instead of being lost, and the activities retry; after the cut the read model
 * equals the workflows' state (reconcile: 0 differences).
 */
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { createApp } from '../../api/app';
import { createDb, type Db } from '../../lib/db';
import { createLogger } from '../../lib/logger';
import { reconcile } from '../../lib/reconcile';
import { createWorker } from '../../lib/worker';
import { acceptUpdate, getStateQuery } from '../../workflows/messages';
import { bearer, principal, TEST_AUTH } from '../helpers/auth';
import { postJson } from '../helpers/decisions';
import { devServerEnv, dispatch, eventually } from '../helpers/env';

jest.setTimeout(600_000);

const CUT_MS = 60_000;
const UNIT = 'road-transport-bureau';
const taskQueue = `faults-db-cut-${process.pid}`;

/** A TCP proxy to PostgreSQL that can be cut (every connection dropped, new ones refused) and restored. */
class Proxy {
  private server = net.createServer((client) => this.accept(client));
  private sockets = new Set<net.Socket>();
  private down = false;
  port = 0;
  constructor(private readonly target: { host: string; port: number }) {}
  async start() {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', () => r()));
    this.port = (this.server.address() as AddressInfo).port;
  }
  private accept(client: net.Socket) {
    if (this.down) return client.destroy();
    const upstream = net.connect(this.target.port, this.target.host);
    for (const s of [client, upstream]) {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
      s.on('error', () => undefined);
    }
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  }
  cut() {
    this.down = true;
    for (const s of this.sockets) s.destroy();
  }
  restore() {
    this.down = false;
  }
  close() {
    this.cut();
    return new Promise((r) => this.server.close(r));
  }
}

let env: TestWorkflowEnvironment;
let proxy: Proxy;
let db: Db;
let worker: Worker;
let running: Promise<void>;
let server: Server;
let base: string;

beforeAll(async () => {
  env = await devServerEnv();
  const direct = new URL(process.env.TEST_DATABASE_URL!);
  proxy = new Proxy({ host: direct.hostname, port: Number(direct.port || 5432) });
  await proxy.start();
  const viaProxy = new URL(direct);
  viaProxy.host = `127.0.0.1:${proxy.port}`;
  db = createDb(viaProxy.toString(), 6);
  worker = await createWorker({ connection: env.nativeConnection, namespace: 'default', taskQueue, db });
  running = worker.run();
  const app = createApp({ db, client: env.client, namespace: 'default', taskQueue, logger: createLogger(process.env.FAULT_LOG ?? 'error'), auth: TEST_AUTH });
  server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
});

afterAll(async () => {
  proxy?.restore();
  await new Promise((r) => server?.close(r));
  worker?.shutdown();
  await running;
  await db?.$disconnect();
  await proxy?.close();
  await env?.teardown();
});

test('the database cut for 60 s: reads answer 503 with the reason, a decision taken meanwhile lands, and the read model catches up', async () => {
  const platform = await bearer(principal('hotline-platform', ['dispatcher'], 'platform-bridge'));
  const reader = await bearer(principal(UNIT, ['acceptor'], 'rtb-acceptor-cut'));
  const now = Date.now();
  const tickets = Array.from({ length: 5 }, () => dispatch({ unitId: UNIT, dispatchedAt: new Date(now - 60_000).toISOString(), dispatchedToUnitAt: new Date(now).toISOString() }));
  for (const d of tickets) {
    const r = await postJson(`${base}/tickets`, platform, d);
    expect(r.status).toBe(201);
  }
  await eventually(() => db.ticket.count({ where: { ticketNo: { in: tickets.map((t) => t.ticketNo) }, rounds: { not: [] } } }), (n) => n === 5, 60_000);

  proxy.cut();
  const cutAt = Date.now();
  // Reads: 503 with the reason, never a 500.
  const read = await fetch(`${base}/tickets/${tickets[0]!.ticketNo}`, { headers: { authorization: reader } });
  expect(read.status).toBe(503);
  const problem = (await read.json()) as { detail: string };
  expect(problem.detail).toMatch(/database/);
  const list = await fetch(`${base}/tickets?limit=5`, { headers: { authorization: reader } });
  expect(list.status).toBe(503);
  const health = await fetch(`${base.replace('/api/v1', '')}/health`);
  expect(health.status).toBe(503);

  // Decisions taken meanwhile through Temporal: each waits for the database (its persistence retries), none is lost.
  const decisions = tickets.map((d) => env.client.workflow.getHandle(d.ticketNo).executeUpdate(acceptUpdate, { args: [{ unitId: UNIT, acceptedBy: 'rtb-acceptor-cut' }] }).then(() => 'done', (e: Error) => `failed: ${e.message}`));
  await new Promise((r) => setTimeout(r, Math.max(0, CUT_MS - (Date.now() - cutAt))));
  proxy.restore();

  expect(await Promise.all(decisions)).toEqual(tickets.map(() => 'done'));
  for (const d of tickets) expect((await env.client.workflow.getHandle(d.ticketNo).query(getStateQuery)).status).toBe('accepted');
  // The read model catches up; the reads answer again.
  await eventually(() => db.ticket.count({ where: { ticketNo: { in: tickets.map((t) => t.ticketNo) }, status: 'accepted' } }), (n) => n === 5, 120_000);
  const report = await reconcile(db, env.client, { ticketNos: tickets.map((t) => t.ticketNo) });
  expect(report.unreadable).toEqual([]);
  expect(report.differences).toEqual([]);
  const again = await fetch(`${base}/tickets/${tickets[0]!.ticketNo}`, { headers: { authorization: reader } });
  expect(again.status).toBe(200);
  expect(await db.ticketEvent.count({ where: { ticketNo: { in: tickets.map((t) => t.ticketNo) }, type: 'accepted' } })).toBe(5);
});
