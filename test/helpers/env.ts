/** Shared test plumbing: the test database, Temporal environments on the binaries `npm run setup` installed. */
import { randomBytes, randomInt } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createApp, type AppDeps } from '../../api/app';
import { TicketService } from '../../api/ticket-service';
import { createLogger } from '../../lib/logger';
import { TEST_AUTH } from './auth';
import { createWorker, type WorkerDeps } from '../../lib/worker';
import { createDb, type Db } from '../../lib/db';
import { addSearchAttributes } from '../../lib/temporal';
import { temporalCliPath, temporalTestServerPath } from '../../lib/tools';
import { SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';
import type { Dispatch } from '../../api/schemas';
import { DEFAULT_PARAMETERS } from '../../rules/parameters';

export function testDb(): Db {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is set by test/helpers/global-setup.ts');
  return createDb(url, 4);
}

/** The time-skipping test server, with the project's search attributes registered. */
export async function timeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: temporalTestServerPath() } },
  });
  await addSearchAttributes(env.connection, env.namespace ?? 'default');
  return env;
}

/** A real Temporal dev server (the CLI's start-dev, in memory), with the project's search attributes. */
export async function devServerEnv(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: temporalCliPath() },
      searchAttributes: [...SEARCH_ATTRIBUTES],
      ip: '127.0.0.1',
      extraArgs: ['--log-level', 'error'],
    },
  });
}

/** A ticket number no other test uses. */
export function newTicketNo(prefix = 'T'): string {
  return `${prefix}${Date.now().toString(36)}${randomBytes(3).toString('hex')}`.toUpperCase();
}

/** A reporter whose number and name the privacy tests quote in their variants. */
export const QUOTED_REPORTER = { anonymous: false, name: '张三', phone: '13812345678' } as const;

/** A valid 12345 complaint dispatch; `overrides` replace fields. */
export function dispatch(overrides: Partial<Dispatch> = {}): Dispatch {
  return {
    ticketNo: newTicketNo(),
    channel: '12345',
    category: 'complaint',
    urgency: null,
    labels: [],
    dispatchedAt: '2026-09-30T16:00:00+08:00',
    unitId: 'road-transport-bureau',
    dispatchedToUnitAt: '2026-09-30T16:10:00+08:00',
    // A reporter of its own: tickets of one reporter, unit and category are related (第二十二条(二)), and tests must
    // not relate each other's tickets by accident. Tests that quote the number use `QUOTED_REPORTER`.
    reporter: { anonymous: false, name: '张三', phone: `139${randomInt(10_000_000, 100_000_000)}` },
    subject: '出租车拒载',
    content: '9月30日15时在天津站打车，出租车司机拒载，车牌津A12345。',
    ...overrides,
  };
}

/** Polls `fn` until `ok` holds (activities and visibility are asynchronous), giving up after `ms`; returns the last value. */
export async function eventually<T>(fn: () => Promise<T>, ok: (v: T) => boolean, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 150));
  }
}

export interface TimeSkippingRig {
  env: TestWorkflowEnvironment;
  db: Db;
  service: TicketService;
  taskQueue: string;
}

/**
 * Registers beforeAll/afterAll for a test file: the time-skipping server, a worker on `taskQueue` with the real
 * activities against the test database (plus `activityDeps()`, read when the worker starts), and the ticket service.
 * The returned object is filled in before the file's own beforeAll hooks run.
 */
export function timeSkippingRig(taskQueue: string, activityDeps: () => Partial<Omit<WorkerDeps, 'connection' | 'namespace' | 'taskQueue' | 'db'>> = () => ({})): TimeSkippingRig {
  const rig = { taskQueue } as TimeSkippingRig;
  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  beforeAll(async () => {
    rig.env = await timeSkippingEnv();
    rig.db = testDb();
    worker = await createWorker({ connection: rig.env.nativeConnection, namespace: 'default', taskQueue, db: rig.db, ...activityDeps() });
    running = worker.run();
    rig.service = new TicketService({ db: rig.db, client: rig.env.client, taskQueue, now: () => rig.env.currentTimeMs() });
  });
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await rig.db?.$disconnect();
    await rig.env?.teardown();
  });
  return rig;
}

export interface DevServerRig {
  env: TestWorkflowEnvironment;
  db: Db;
  taskQueue: string;
  /** Starts the API (test tokens, silent logs unless `deps` says otherwise) on a free port; closed after the file. */
  listen(deps?: Partial<AppDeps>): Promise<string>;
}

/**
 * Registers beforeAll/afterAll for an end-to-end test file: a real Temporal dev server, a worker on `taskQueue` with the
 * real activities against the test database, and `listen` for API instances. Filled in before the file's own hooks run.
 */
export function devServerRig(taskQueue: string): DevServerRig {
  const servers: Server[] = [];
  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  const rig: DevServerRig = {
    taskQueue,
    async listen(deps = {}) {
      const app = createApp({ db: rig.db, client: rig.env.client, namespace: 'default', taskQueue, logger: createLogger('silent'), auth: TEST_AUTH, ...deps });
      const server = app.listen(0, '127.0.0.1');
      servers.push(server);
      await new Promise((r) => server.once('listening', r));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
  } as DevServerRig;
  beforeAll(async () => {
    rig.env = await devServerEnv();
    rig.db = testDb();
    worker = await createWorker({ connection: rig.env.nativeConnection, namespace: 'default', taskQueue, db: rig.db });
    running = worker.run();
  });
  afterAll(async () => {
    for (const s of servers) await new Promise((r) => s.close(r));
    worker?.shutdown();
    await running;
    await rig.db?.$disconnect();
    await rig.env?.teardown();
  });
  return rig;
}

/** 第八条(一): how long after reaching the unit a ticket's acceptance falls due (the regulation's parameter). */
export const ACCEPTANCE_MS = DEFAULT_PARAMETERS.acceptanceHours.value * 3600_000;

/** When a ticket must have reached its unit for its acceptance to fall due at `dueAt`. */
export const reachedUnitFor = (dueAt: number) => new Date(dueAt - ACCEPTANCE_MS);

/** Whether the workflow `workflowId` has a durable timer running in its history (a TimerStarted without its fire or cancel). */
async function hasRunningTimer(client: Client, workflowId: string): Promise<boolean> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const open = new Set<string>();
  for (const e of history.events ?? []) {
    if (e.timerStartedEventAttributes?.timerId) open.add(e.timerStartedEventAttributes.timerId);
    if (e.timerFiredEventAttributes?.timerId) open.delete(e.timerFiredEventAttributes.timerId);
    if (e.timerCanceledEventAttributes?.timerId) open.delete(e.timerCanceledEventAttributes.timerId);
  }
  return open.size > 0;
}

/**
 * Waits up to `ms` until each workflow of `workflowIds` has a durable timer running, and returns how many still have
 * none: the fault tests take a process down only once the timers they watch are Temporal's.
 */
export async function untilTimersRunning(client: Client, workflowIds: string[], ms: number): Promise<number> {
  return eventually(async () => (await Promise.all(workflowIds.map((id) => hasRunningTimer(client, id)))).filter((t) => !t).length, (n) => n === 0, ms);
}
