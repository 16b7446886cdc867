/**
 * What the outside fuzzer (schemathesis, issue 11) found in the order a request is checked:
 * - a NUL in a query parameter or a path segment reached PostgreSQL ("invalid byte sequence", a 500): it is a 400
 *   naming the parameter, like a NUL in a body;
 * - a request with no token or a bad one got 400, 413 or 415 from its body before the 401 the README promises: who is
 *   calling is checked first, and the body of an unauthenticated caller is never parsed.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { Client } from '@temporalio/client';
import { createApp } from '../../api/app';
import type { Db } from '../../lib/db';
import { createLogger } from '../../lib/logger';
import { bearer, principal, TEST_AUTH } from '../helpers/auth';
import { testDb } from '../helpers/env';

let db: Db;
let server: Server;
let base: string;
let token: string;

beforeAll(async () => {
  db = testDb();
  // No Temporal: nothing here may get as far as a workflow.
  const app = createApp({ db, client: {} as Client, namespace: 'default', taskQueue: 'request-order', logger: createLogger('silent'), auth: TEST_AUTH, rateLimitPerMinute: 100_000, bodyLimit: '1kb' });
  server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  token = await bearer(principal('service-division', ['supervisor']));
});

afterAll(async () => {
  await new Promise((r) => server?.close(r));
  await db?.$disconnect();
});

async function get(path: string, authorization: string | undefined = token) {
  const res = await fetch(`${base}${path}`, { headers: authorization ? { authorization } : {} });
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: (await res.json()) as any };
}

const fields = (body: any): string[] => (body.errors ?? []).map((e: { field: string }) => e.field);

describe('a NUL in the URL is a 400 naming where it is, never a 500 from the database', () => {
  test.each([
    ['/api/v1/tickets?unit=%00', 'unit'],
    ['/api/v1/tickets?status=closed&unit=road%00-transport-bureau', 'unit'],
    ['/api/v1/supervision?article=%E7%AC%AC%00', 'article'],
    ['/api/v1/statistics?month=2025-03&unit=%00', 'unit'],
    ['/api/v1/knowledge?q=%00', 'q'],
    ['/api/v1/tickets/AB%00CD', '(path)'],
    ['/api/v1/tickets/AB%00CD/history', '(path)'],
    ['/api/v1/circulars/1%00/print', '(path)'],
  ])('GET %s', async (path, field) => {
    const a = await get(path);
    expect(a.status).toBe(400);
    expect(a.type).toContain('application/problem+json');
    expect(fields(a.body)).toContain(field);
    expect(JSON.stringify(a.body)).toContain('NUL');
  });

  test('a repeated parameter with a NUL in one of its values names it too', async () => {
    const a = await get('/api/v1/tickets?unit=road-transport-bureau&unit=%00');
    expect(a.status).toBe(400);
    expect(fields(a.body).some((f) => f.startsWith('unit'))).toBe(true);
  });

  test('a path that is not valid percent-encoding is a 400, and a clean query still answers', async () => {
    expect((await get('/api/v1/tickets/%E0%A4%A')).status).toBe(400);
    const ok = await get('/api/v1/tickets?unit=road-transport-bureau&limit=1');
    expect(ok.status).toBe(200);
  });
});

describe('authentication comes before the body: no token or a bad one is a 401 whatever the body', () => {
  const bodies: [string, Record<string, string>, string][] = [
    ['not JSON', { 'content-type': 'application/json' }, '{"ticketNo": '],
    ['not application/json', { 'content-type': 'text/plain' }, 'hello'],
    ['over the size limit', { 'content-type': 'application/json' }, JSON.stringify({ text: 'x'.repeat(10_000) })],
    ['not UTF-8', { 'content-type': 'application/json; charset=latin1' }, '{"a":"b"}'],
    ['a NUL in a field', { 'content-type': 'application/json' }, '{"text":"a\\u0000b"}'],
    ['a valid dispatch-shaped body', { 'content-type': 'application/json' }, '{}'],
  ];
  test.each(bodies)('POST /tickets with a body %s', async (_what, headers, body) => {
    for (const authorization of [undefined, 'Bearer not-a-token', 'Basic dXNlcjpwYXNz']) {
      const res = await fetch(`${base}/api/v1/tickets`, { method: 'POST', headers: { ...headers, ...(authorization ? { authorization } : {}) }, body });
      expect({ authorization, status: res.status }).toEqual({ authorization, status: 401 });
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
  });

  test('a decision path and a query with a NUL, without a token: 401 too', async () => {
    const res = await fetch(`${base}/api/v1/tickets/T-1/accept`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' });
    expect(res.status).toBe(401);
    expect((await fetch(`${base}/api/v1/tickets?unit=%00`)).status).toBe(401);
  });

  test('with a valid token the same bad bodies get their own answers (400, 413, 415)', async () => {
    const statuses = [];
    for (const [, headers, body] of bodies.slice(0, 5)) {
      const res = await fetch(`${base}/api/v1/tickets`, { method: 'POST', headers: { ...headers, authorization: await bearer(principal('hotline-platform', ['dispatcher'])) }, body });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([400, 415, 413, 415, 400]);
  });
});

test('the served document names the known unit ids (the unit table) as the enum of each unitId of a body', async () => {
  const doc = (await (await fetch(`${base}/api/openapi.json`)).json()) as any;
  const units = (await db.unit.findMany({ select: { id: true } })).map((u) => u.id).sort();
  const dispatch = doc.paths['/api/v1/tickets'].post.requestBody.content['application/json'].schema;
  expect([...dispatch.properties.unitId.enum].sort()).toEqual(units);
  expect(units).toContain('road-transport-bureau');
  expect([...dispatch.properties.parts.items.properties.unitId.enum].sort()).toEqual(units);
  const redispatch = doc.paths['/api/v1/tickets/{ticketNo}/redispatch'].post.requestBody.content['application/json'].schema;
  expect([...redispatch.properties.unitId.enum].sort()).toEqual(units);
});

test('GET /metrics: Prometheus text, by route pattern; with METRICS_TOKEN it needs that token', async () => {
  await fetch(`${base}/api/v1/tickets/NO-SUCH-1/history`, { headers: { authorization: token } });
  const open = await fetch(`${base}/metrics`);
  expect(open.status).toBe(200);
  expect(open.headers.get('content-type')).toContain('text/plain');
  const text = await open.text();
  expect(text).toContain('hotline_http_requests_total{method="GET",route="/api/v1/tickets/:ticketNo/history",status="404"}');
  expect(text).not.toContain('NO-SUCH-1');
  expect(text).toMatch(/^hotline_tickets\{status="closed"\} \d+$/m);

  const app = createApp({ db, client: {} as Client, namespace: 'default', taskQueue: 'metrics-token', logger: createLogger('silent'), auth: TEST_AUTH, metricsToken: 'scrape-secret-0123456789' });
  const guarded: Server = app.listen(0, '127.0.0.1');
  await new Promise((r) => guarded.once('listening', r));
  const at = `http://127.0.0.1:${(guarded.address() as AddressInfo).port}/metrics`;
  try {
    expect((await fetch(at)).status).toBe(401);
    expect((await fetch(at, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await fetch(at, { headers: { authorization: 'Bearer scrape-secret-0123456789' } })).status).toBe(200);
  } finally {
    await new Promise((r) => guarded.close(r));
  }
});

test('every request log line about a ticket carries its number (and the line of a failed dependency too)', async () => {
  const { Writable } = await import('node:stream');
  const lines: string[] = [];
  const sink = new Writable({ write(chunk, _enc, cb) { lines.push(String(chunk)); cb(); } });
  const app = createApp({ db, client: {} as Client, namespace: 'default', taskQueue: 'request-logs', logger: createLogger('info', 'api', sink), auth: TEST_AUTH });
  const logged: Server = app.listen(0, '127.0.0.1');
  await new Promise((r) => logged.once('listening', r));
  const at = `http://127.0.0.1:${(logged.address() as AddressInfo).port}`;
  try {
    expect((await fetch(`${at}/api/v1/tickets/LOGT-0001/history`, { headers: { authorization: token } })).status).toBe(404);
    expect((await fetch(`${at}/api/v1/tickets?limit=1`, { headers: { authorization: token } })).status).toBe(200);
    const records = lines.flatMap((l) => l.split('\n').filter(Boolean)).map((l) => JSON.parse(l) as { ticketNo?: string; req?: { path?: string } });
    const about = records.filter((r) => r.req?.path === '/api/v1/tickets/LOGT-0001/history');
    expect(about.length).toBeGreaterThan(0);
    expect(about.every((r) => r.ticketNo === 'LOGT-0001')).toBe(true);
    expect(records.filter((r) => r.req?.path === '/api/v1/tickets').every((r) => r.ticketNo === undefined)).toBe(true);
  } finally {
    await new Promise((r) => logged.close(r));
  }
});
