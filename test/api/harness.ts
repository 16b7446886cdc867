/**
 * An API under test, end to end: a real Temporal dev server, a worker on it, the express app on a free port, the test
 * database. `call` sends a request with an optional `Authorization` header and parses the answer.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { createApp, type AppDeps } from '../../api/app';
import type { Db } from '../../lib/db';
import { createLogger } from '../../lib/logger';
import { createWorker } from '../../lib/worker';
import { TEST_AUTH } from '../helpers/auth';
import { devServerEnv, dispatch, testDb } from '../helpers/env';

export interface Reply {
  status: number;
  type: string;
  body: any;
}

export interface Harness {
  env: TestWorkflowEnvironment;
  db: Db;
  base: string;
  /** `authorization` is the whole header value (e.g. `Bearer …`), or undefined for none. */
  call(method: string, path: string, options?: { authorization?: string; body?: unknown; headers?: Record<string, string> }): Promise<Reply>;
  stop(): Promise<void>;
}

export async function startHarness(taskQueue: string, deps: Partial<AppDeps> = {}): Promise<Harness> {
  const env = await devServerEnv();
  const db = testDb();
  const worker: Worker = await createWorker({ connection: env.nativeConnection, namespace: 'default', taskQueue, db });
  const running = worker.run();
  const app = createApp({ db, client: env.client, namespace: 'default', taskQueue, logger: createLogger('silent'), auth: TEST_AUTH, ...deps });
  const server: Server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const call: Harness['call'] = async (method, path, options = {}) => {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (options.authorization !== undefined) headers.authorization = options.authorization;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${base}${path}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      // HTML (the docs page) or text stays as it is.
    }
    return { status: res.status, type: res.headers.get('content-type') ?? '', body };
  };

  const stop = async () => {
    await new Promise((r) => server.close(r));
    worker.shutdown();
    await running;
    await db.$disconnect();
    await env.teardown();
  };
  return { env, db, base, call, stop };
}

/** A valid dispatch that reaches the unit now (real time on the dev server). */
export function freshDispatch(overrides: Parameters<typeof dispatch>[0] = {}) {
  const now = Date.now();
  return dispatch({ dispatchedAt: new Date(now - 600_000).toISOString(), dispatchedToUnitAt: new Date(now).toISOString(), ...overrides });
}

/** Polls `fn` until `ok` holds or `ms` pass; returns the last value. */

