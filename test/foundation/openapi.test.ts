/**
 * The OpenAPI document as /api/docs loads it: Swagger UI shows a red "OpenAPI.jsonSchemaDialect field contains a value
 * different from the default value" warning for any jsonSchemaDialect but OpenAPI 3.1's base dialect.
 */
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { Client } from '@temporalio/client';
import { createApp } from '../../api/app';
import { OAS_31_BASE_DIALECT } from '../../api/openapi';
import type { Db } from '../../lib/db';
import { createLogger } from '../../lib/logger';
import { TEST_AUTH } from '../helpers/auth';

// Serving the document touches neither the database nor Temporal.
const app = createApp({ db: {} as Db, client: {} as Client, namespace: 'default', taskQueue: 'openapi-test', logger: createLogger('silent'), auth: TEST_AUTH });
let server: Server;
let base: string;

beforeAll(async () => {
  server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise((r) => server.close(r)));

test('the served document declares no JSON Schema dialect or OpenAPI 3.1\'s base dialect, the one Swagger UI renders', async () => {
  const res = await fetch(`${base}/api/openapi.json`);
  expect(res.status).toBe(200);
  const doc = (await res.json()) as { openapi: string; jsonSchemaDialect?: unknown };
  expect(doc.openapi).toMatch(/^3\.1\./);
  expect([undefined, 'https://spec.openapis.org/oas/3.1/dialect/base']).toContain(doc.jsonSchemaDialect);
});

test('the base dialect is the default of the Swagger UI that /api/docs serves', () => {
  expect(OAS_31_BASE_DIALECT).toBe('https://spec.openapis.org/oas/3.1/dialect/base');
  const bundle = fs.readFileSync(require.resolve('swagger-ui-dist/swagger-ui-bundle.js'), 'utf8');
  expect(bundle).toContain(`selectJsonSchemaDialectDefault=()=>"${OAS_31_BASE_DIALECT}"`);
});

describe('the document says what the server enforces (issue 11, what an outside fuzzer found)', () => {
  const METHODS = ['get', 'put', 'post', 'delete', 'patch'];
  const doc = () => fetch(`${base}/api/openapi.json`).then((r) => r.json() as Promise<any>);
  const operations = (d: any) =>
    Object.entries(d.paths as Record<string, Record<string, any>>).flatMap(([path, item]) => METHODS.filter((m) => item[m]).map((m) => ({ path, method: m, op: item[m] })));

  test('every operation has a unique operationId, and the document names its server', async () => {
    const d = await doc();
    const ids = operations(d).map((o) => o.op.operationId);
    expect(ids.every((id) => typeof id === 'string' && /^[a-z][A-Za-z]+$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(d.servers).toEqual([expect.objectContaining({ url: '/' })]);
  });

  test('every /api/v1 operation lists 401, 429 and 503; bodies 413 and 415; the statistics 406', async () => {
    const missing = operations(await doc())
      .filter((o) => o.path.startsWith('/api/v1/'))
      .flatMap((o) => [400, 401, 429, 503, ...(o.method === 'post' || o.method === 'put' ? [413, 415] : []), ...(o.path === '/api/v1/statistics' ? [406] : [])].filter((c) => !o.op.responses[String(c)]).map((c) => `${o.method} ${o.path} ${c}`));
    expect(missing).toEqual([]);
  });

  test('the ticket number, Idempotency-Key, the categories of each channel, years, dates and reply-check are constrained', async () => {
    const d = await doc();
    const accept = d.paths['/api/v1/tickets/{ticketNo}/accept'].post;
    const no = accept.parameters.find((p: any) => p.name === 'ticketNo').schema;
    expect(new RegExp(no.pattern).test('T2026-0001')).toBe(true);
    expect(new RegExp(no.pattern).test('a b')).toBe(false);
    expect(accept.parameters.find((p: any) => p.name === 'Idempotency-Key').schema).toMatchObject({ minLength: 1, maxLength: 200 });
    const dispatch = d.paths['/api/v1/tickets'].post.requestBody.content['application/json'].schema;
    expect(dispatch.properties.category.enum).toEqual(expect.arrayContaining(['complaint', 'consultation']));
    const of12328 = dispatch.allOf.find((x: any) => x.if.properties.channel.const === '12328-wechat');
    expect(of12328.then.properties.category.enum).not.toContain('report');
    const years = dispatch.properties.dispatchedAt.allOf.map((x: any) => new RegExp(x.pattern));
    expect(years.some((p: RegExp) => !p.test('1999-12-31T00:00:00+08:00'))).toBe(true);
    expect(years.every((p: RegExp) => p.test('2026-09-30T16:00:00+08:00'))).toBe(true);
    const stats = d.paths['/api/v1/statistics'].get.parameters;
    expect(stats.find((p: any) => p.name === 'from').schema.format).toBe('date');
    expect(d.paths['/api/v1/policy/reply-check'].post.requestBody.content['application/json'].schema.minProperties).toBe(1);
  });

  test('a dispatched ticket’s number links to its reads and every decision path (stateful testing follows links)', async () => {
    const d = await doc();
    const links = d.paths['/api/v1/tickets'].post.responses['201'].links;
    const ids = new Set(operations(d).map((o) => o.op.operationId));
    const decisionPaths = operations(d).filter((o) => o.method === 'post' && o.path.startsWith('/api/v1/tickets/{ticketNo}/'));
    expect(decisionPaths.length).toBeGreaterThan(30);
    for (const o of decisionPaths) expect(links[o.op.operationId]).toEqual({ operationId: o.op.operationId, parameters: { ticketNo: '$response.body#/ticket/ticketNo' } });
    for (const link of Object.values(links) as any[]) expect(ids.has(link.operationId)).toBe(true);
  });

  test('the second fuzz round: a reused Idempotency-Key\'s 422, creations\' 201, required queries, id patterns, text without NUL', async () => {
    const d = await doc();
    const keyed = operations(d).filter((o) => o.op.parameters?.some((p: any) => p.name === 'Idempotency-Key'));
    expect(keyed.length).toBeGreaterThan(30);
    expect(keyed.filter((o) => !o.op.responses['422']).map((o) => `${o.method} ${o.path}`)).toEqual([]);
    for (const path of ['/api/v1/sealed-materials', '/api/v1/appeals', '/api/v1/knowledge', '/api/v1/circulars', '/api/v1/circular-records']) {
      expect({ path, statuses: Object.keys(d.paths[path].post.responses).filter((c) => c.startsWith('2')) }).toEqual({ path, statuses: ['201'] });
    }
    const filingsMonth = d.paths['/api/v1/filings'].get.parameters.find((p: any) => p.name === 'month');
    expect(filingsMonth.required).toBe(true);
    expect(d.paths['/api/v1/tickets'].get.parameters.every((p: any) => p.required === false)).toBe(true);
    const idOf = (path: string, method = 'post') => new RegExp(d.paths[path][method].parameters.find((p: any) => p.name === 'id').schema.pattern);
    expect(idOf('/api/v1/knowledge/{id}', 'get').test('12')).toBe(true);
    expect(idOf('/api/v1/knowledge/{id}', 'get').test('fuzz')).toBe(false);
    expect(idOf('/api/v1/filings/{id}').test('road-transport-bureau:training:2026-05')).toBe(true);
    expect(idOf('/api/v1/filings/{id}').test('road-transport-bureau:training:2026-13')).toBe(false);
    expect(idOf('/api/v1/appeal-packages/{id}/sign').test('fuzz')).toBe(false);
    const subject = new RegExp(d.paths['/api/v1/tickets'].post.requestBody.content['application/json'].schema.properties.subject.pattern);
    expect(subject.test('出租车拒载')).toBe(true);
    expect(subject.test('a\u0000b')).toBe(false);
  });

  test('a listed path asked with a method it does not list is a 405 naming the allowed ones; OPTIONS lists them', async () => {
    const trace = await fetch(`${base}/dashboard`, { method: 'DELETE' });
    expect(trace.status).toBe(405);
    expect(trace.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
    expect(((await trace.json()) as any).detail).toMatch(/DELETE is not a method of \/dashboard/);
    const options = await fetch(`${base}/health`, { method: 'OPTIONS' });
    expect(options.status).toBe(204);
    expect(options.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
    // A path the document does not list stays a 404.
    expect((await fetch(`${base}/nowhere`, { method: 'DELETE' })).status).toBe(404);
  });
});
