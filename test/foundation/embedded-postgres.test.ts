/**
 * `npm start` on a machine without a database server (issue 11): with DATABASE_URL unset, it runs the embedded
 * PostgreSQL under DATA_DIR, migrates it, and says so in its banner; a ticket dispatched through the API is still
 * there after a restart of the whole system (PostgreSQL included, on the same folder). The test runs bin/start.ts
 * as `npm start` does, on free ports and a data folder of its own.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mintToken } from '../../api/auth';
import { LOCAL_DEVELOPMENT_JWT_SECRET } from '../../lib/config';
import { freePort } from '../../lib/embedded-postgres';
import { PROJECT_ROOT } from '../../lib/tools';
import { dispatch } from '../helpers/env';

jest.setTimeout(240_000);

const folder = mkdtempSync(path.join(os.tmpdir(), 'hotline-embedded-'));
chmodSync(folder, 0o755);
let ports: { api: number; temporal: number; ui: number; pg: number; workerMetrics: number };
let running: { child: ChildProcess; output: () => string } | null = null;

function start(): Promise<{ child: ChildProcess; output: () => string }> {
  const env: Record<string, string> = { ...(process.env as Record<string, string>) };
  for (const k of ['DATABASE_URL', 'TEST_DATABASE_URL', 'AUTH_JWT_SECRET', 'AUTH_JWT_PUBLIC_KEY', 'NODE_ENV']) delete env[k];
  Object.assign(env, {
    DATA_DIR: path.join(folder, 'data'),
    PORT: String(ports.api),
    TEMPORAL_ADDRESS: `127.0.0.1:${ports.temporal}`,
    TEMPORAL_UI_PORT: String(ports.ui),
    EMBEDDED_POSTGRES_PORT: String(ports.pg),
    WORKER_METRICS_ADDRESS: `127.0.0.1:${ports.workerMetrics}`,
    LOG_LEVEL: 'warn',
  });
  const child = spawn(path.join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx'), ['bin/start.ts'], { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (b) => (out += b));
  child.stderr!.on('data', (b) => (out += b));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start did not come up in 180 s:\n${out}`)), 180_000);
    const check = setInterval(() => {
      if (out.includes('Ctrl-C stops everything')) {
        clearInterval(check);
        clearTimeout(timer);
        resolve({ child, output: () => out });
      }
    }, 200);
    child.once('exit', (code) => {
      clearInterval(check);
      clearTimeout(timer);
      reject(new Error(`npm start exited (${code}):\n${out}`));
    });
  });
}

function stop(p: { child: ChildProcess }): Promise<number | null> {
  return new Promise((resolve) => {
    if (p.child.exitCode !== null) return resolve(p.child.exitCode);
    p.child.once('exit', (code) => resolve(code));
    p.child.kill('SIGINT');
  });
}

beforeAll(async () => {
  ports = { api: await freePort(), temporal: await freePort(), ui: await freePort(), pg: await freePort(), workerMetrics: await freePort() };
});

afterAll(async () => {
  if (running) await stop(running);
  rmSync(folder, { recursive: true, force: true });
});

test('with no DATABASE_URL, npm start runs the embedded PostgreSQL; a dispatched ticket survives a restart', async () => {
  running = await start();
  expect(running.output()).toMatch(/PostgreSQL\s+embedded PostgreSQL 18 \(data: .*postgres, 127\.0\.0\.1:\d+\/hotline\)/);
  expect(existsSync(path.join(folder, 'data', 'postgres', 'PG_VERSION'))).toBe(true);

  const config = { secret: LOCAL_DEVELOPMENT_JWT_SECRET, issuer: 'tj-transport-hotline', audience: 'hotline-api' };
  const platform = `Bearer ${await mintToken(config, { userId: 'platform', unitId: 'hotline-platform', roles: ['dispatcher'] })}`;
  const reader = `Bearer ${await mintToken(config, { userId: 'sd', unitId: 'service-division', roles: ['supervisor'] })}`;
  const base = `http://127.0.0.1:${ports.api}/api/v1`;
  const now = Date.now();
  const d = dispatch({ dispatchedAt: new Date(now - 60_000).toISOString(), dispatchedToUnitAt: new Date(now).toISOString() });
  const created = await fetch(`${base}/tickets`, { method: 'POST', headers: { authorization: platform, 'content-type': 'application/json' }, body: JSON.stringify(d) });
  expect(created.status).toBe(201);

  // The metrics (issue 11): the API's requests by route pattern, decisions with the rule a refusal broke, the read
  // model's tickets by status; and the worker's Temporal SDK metrics on their own port.
  const handler = `Bearer ${await mintToken(config, { userId: 'h', unitId: d.unitId, roles: ['handler'] })}`;
  const early = await fetch(`${base}/tickets/${d.ticketNo}/reply`, { method: 'POST', headers: { authorization: handler, 'content-type': 'application/json' }, body: JSON.stringify({ text: '您好，已办理。' }) });
  expect([409, 422]).toContain(early.status);
  const rule = (((await early.json()) as { violations?: { rule: string; article: string }[] }).violations ?? [])[0]!;
  const api = await (await fetch(`http://127.0.0.1:${ports.api}/metrics`)).text();
  expect(api).toMatch(/hotline_http_requests_total\{method="POST",route="\/api\/v1\/tickets",status="201"\} 1/);
  expect(api).not.toContain(d.ticketNo);
  expect(api).toContain(`hotline_decisions_total{decision="reply",outcome="${early.status === 409 ? 'conflict' : 'refused'}",rule="${rule.rule}",article="${rule.article}"} 1`);
  expect(api).toMatch(/hotline_tickets\{status="(dispatched|accepted)"\} 1/);
  const worker = await (await fetch(`http://127.0.0.1:${ports.workerMetrics}/metrics`)).text();
  expect(worker).toMatch(/^temporal_/m);
  expect(worker).toContain('temporal_workflow_task_execution_latency');

  expect(await stop(running)).toBe(0);
  running = null;
  // Stopped with the rest: nothing listens on its port any more.
  await expect(fetch(`http://127.0.0.1:${ports.api}/health`)).rejects.toThrow();

  running = await start();
  const again = await fetch(`${base}/tickets/${d.ticketNo}`, { headers: { authorization: reader } });
  expect(again.status).toBe(200);
  expect(((await again.json()) as { ticketNo: string }).ticketNo).toBe(d.ticketNo);
  const health = await fetch(`http://127.0.0.1:${ports.api}/health`);
  expect(health.status).toBe(200);
});
