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
