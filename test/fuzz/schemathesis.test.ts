/**
 * An outside fuzzer against the running API (issue 11): schemathesis, pinned and installed by `npm run setup`, reads
 * /api/openapi.json and sends generated requests — coverage, fuzzing and stateful sequences that follow the
 * document's links from a dispatched ticket to its decisions — for FUZZ_SECONDS (default 150) with a token holding
 * every role. It must find no server error, no status the document does not list, no response that breaks its schema
 * or content type, no invalid request accepted, no method or auth mistake; and afterwards no ticket may be wedged
 * (a workflow failed, terminated or retrying a failing task) or differ from its read-model row.
 *
 * One check is left out: `positive_data_acceptance` (a schema-valid request must be accepted). A request can be
 * well-formed and still be refused by the regulation (422 naming the article: an appeal against another unit's
 * ticket, 第二十七条) or by the ticket's state (409), or be a reused Idempotency-Key with a different body (422);
 * the fuzzer counts each of these as a failure.
 *
 * The run has a database of its own: the fuzzer changes the working calendar and files reports, which the other test
 * files running beside it must not see. `FUZZ_SEED` repeats a run; the JUnit report goes under test-output/fuzz/.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { createApp } from '../../api/app';
import { ROLES } from '../../api/auth';
import { createDb, type Db } from '../../lib/db';
import { createLogger } from '../../lib/logger';
import { reconcile } from '../../lib/reconcile';
import { PROJECT_ROOT, schemathesisPath } from '../../lib/tools';
import { createWorker } from '../../lib/worker';
import { bearer, principal, TEST_AUTH } from '../helpers/auth';
import { postJson } from '../helpers/decisions';
import { devServerEnv, dispatch } from '../helpers/env';
import { freshDatabase, onServer } from '../helpers/global-setup';

const SECONDS = Number(process.env.FUZZ_SECONDS ?? 150);
jest.setTimeout((SECONDS + 300) * 1000);

const taskQueue = `fuzz-${process.pid}`;
const REPORT_DIR = path.join(PROJECT_ROOT, 'test-output', 'fuzz');
let databaseUrl: string;
let env: TestWorkflowEnvironment;
let db: Db;
let worker: Worker;
let running: Promise<void>;
let server: Server;
let origin: string;

beforeAll(async () => {
  const url = new URL(process.env.TEST_DATABASE_URL!);
  url.pathname = `${url.pathname}_fuzz`;
  databaseUrl = url.toString();
  await freshDatabase(databaseUrl);
  db = createDb(databaseUrl, 8);
  env = await devServerEnv();
  worker = await createWorker({ connection: env.nativeConnection, namespace: 'default', taskQueue, db, logger: createLogger('silent') });
  running = worker.run();
  const app = createApp({ db, client: env.client, namespace: 'default', taskQueue, logger: createLogger(process.env.FUZZ_LOG ?? 'silent'), auth: TEST_AUTH, rateLimitPerMinute: 1_000_000, ticketWritesPerUserPerHour: 1_000_000 });
  server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((r) => server?.close(r));
  worker?.shutdown();
  await running;
  await db?.$disconnect();
  await env?.teardown();
  const name = new URL(databaseUrl).pathname.slice(1);
  await onServer(databaseUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
});

/** Runs `st run` and resolves with its exit code and output. */
function schemathesis(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    let output = '';
    const child = spawn(schemathesisPath(), args, { cwd: PROJECT_ROOT, env: { ...process.env, NO_COLOR: '1' } });
    child.stdout.on('data', (b) => (output += b));
    child.stderr.on('data', (b) => (output += b));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

test(`schemathesis for ${SECONDS} s finds no server error, undocumented status or schema violation, and leaves no ticket wedged`, async () => {
  // Every role, in a handling unit: the fuzzer reaches every operation a user can.
  const token = await bearer(principal('road-transport-bureau', [...ROLES], 'fuzzer'));
  fs.mkdirSync(REPORT_DIR, { recursive: true });
  // Tickets for the decisions to land on: a generated dispatch is rarely one the platform could send (dates in the
  // past, the unit after the Commission), so the fuzzer gets 12 real ones, half of them accepted, as the ticket
  // number of most requests on a ticket's path.
  const platform = await bearer(principal('hotline-platform', ['dispatcher'], 'platform-bridge'));
  const now = Date.now();
  const seeded = Array.from({ length: 12 }, (_, i) => dispatch({ ticketNo: `FUZZ${now.toString(36).toUpperCase()}${i}`, dispatchedAt: new Date(now - 3600_000).toISOString(), dispatchedToUnitAt: new Date(now - 3000_000).toISOString() }));
  for (const [i, d] of seeded.entries()) {
    expect((await postJson(`${origin}/api/v1/tickets`, platform, d)).status).toBe(201);
    if (i % 2 === 1) expect((await postJson(`${origin}/api/v1/tickets/${d.ticketNo}/accept`, token, {})).status).toBe(200);
  }
  const config = path.join(REPORT_DIR, 'schemathesis.toml');
  fs.writeFileSync(config, [`[dictionaries.tickets]`, `values = ${JSON.stringify(seeded.map((d) => d.ticketNo))}`, '', '[parameters]', '"path.ticketNo" = { dictionary = "tickets", probability = 0.8 }', ''].join('\n'));
  const seed = process.env.FUZZ_SEED;
  const { code, output } = await schemathesis([
    '--config-file',
    config,
    'run',
    `${origin}/api/openapi.json`,
    '--header',
    `Authorization: ${token}`,
    '--max-time',
    String(SECONDS),
    '--checks',
    'all',
    '--exclude-checks',
    'positive_data_acceptance',
    // One worker: Python 3.11's ast is not thread-safe (hypothesis parses lambdas; two threads crash it with
    // "AST constructor recursion depth mismatch").
    '--workers',
    '1',
    // The generator's own limits (a body with many constraints filters most draws; a loaded machine is slow), not
    // the API's.
    '--suppress-health-check',
    'filter_too_much,too_slow',
    '--request-timeout',
    '60',
    '--report',
    'junit',
    '--report-dir',
    REPORT_DIR,
    ...(seed ? ['--seed', seed] : []),
  ]);
  fs.writeFileSync(path.join(REPORT_DIR, 'output.txt'), output);
  // On failure the summary says which check failed where, with a curl line to reproduce it (the token filtered).
  if (code !== 0) throw new Error(`schemathesis exited ${code}:\n${output.slice(-20_000)}`);
  expect(output).toMatch(/Stateful/);

  // The fuzzer did reach the tickets: dispatched some and took decisions on them.
  const tickets = await db.ticket.count();
  expect(tickets).toBeGreaterThan(0);
  expect(await db.ticketEvent.count({ where: { actor: 'fuzzer' } })).toBeGreaterThan(0);

  // No ticket wedged: no workflow failed or was terminated, none is retrying a failing workflow task.
  const wedged: string[] = [];
  for await (const wf of env.client.workflow.list({ query: `TaskQueue = "${taskQueue}"` })) {
    if (wf.status.name !== 'RUNNING' && wf.status.name !== 'COMPLETED') wedged.push(`${wf.workflowId}: ${wf.status.name}`);
    if (wf.status.name === 'RUNNING') {
      const attempt = (await env.client.workflow.getHandle(wf.workflowId).describe()).raw.pendingWorkflowTask?.attempt ?? 0;
      if (attempt > 1) wedged.push(`${wf.workflowId}: workflow task failing (attempt ${attempt})`);
    }
  }
  expect(wedged).toEqual([]);
  // And each open ticket's row equals its workflow's state.
  const report = await reconcile(db, env.client, {});
  expect(report.unreadable).toEqual([]);
  expect(report.differences).toEqual([]);
});
