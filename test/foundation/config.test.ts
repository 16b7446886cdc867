/** Configuration: defaults that run locally, and a clear error naming each bad variable. */
import { ConfigError, loadConfig } from '../../lib/config';
import { createLogger } from '../../lib/logger';
import { maskPhoneNumbers } from '../../lib/pii';
import { Writable } from 'node:stream';

test('an empty environment runs locally: the embedded PostgreSQL on 54329, Temporal on 127.0.0.1:7233, API on 3000', () => {
  const config = loadConfig({});
  expect(config.DATABASE_URL).toBeUndefined();
  expect(loadConfig({ DATABASE_URL: '' }).DATABASE_URL).toBeUndefined();
  expect(config).toMatchObject({
    EMBEDDED_POSTGRES_PORT: 54329,
    TEMPORAL_ADDRESS: '127.0.0.1:7233',
    TEMPORAL_NAMESPACE: 'default',
    PORT: 3000,
    TEMPORAL_UI_PORT: 8233,
  });
});

test('bad values stop start-up with every bad variable named', () => {
  expect(() => loadConfig({ PORT: 'eighty', TEMPORAL_ADDRESS: 'localhost', DATABASE_URL: 'not a url' })).toThrow(ConfigError);
  try {
    loadConfig({ PORT: 'eighty', TEMPORAL_ADDRESS: 'localhost', DATABASE_URL: 'not a url' });
  } catch (err) {
    const message = (err as Error).message;
    for (const name of ['PORT', 'TEMPORAL_ADDRESS', 'DATABASE_URL']) expect(message).toContain(name);
  }
});

test('reporters\' phone numbers never reach a log line, in fields or in free text', () => {
  const lines: string[] = [];
  const sink = new Writable({ write(chunk, _enc, cb) { lines.push(String(chunk)); cb(); } });
  const captured = createLogger('info', 'test', sink);
  captured.info({ reporter: { name: '张三', phone: '13812345678' }, ticket: { reporterPhone: '022-23456789' } }, 'called reporter at 13812345678 and 022-23456789');
  const out = lines.join('');
  expect(out).not.toContain('13812345678');
  expect(out).not.toContain('23456789');
  expect(out).not.toContain('张三');
  expect(out).toContain('called reporter at');
  expect(maskPhoneNumbers('联系电话13812345678，座机022-23456789')).toBe('联系电话138****78，座机022****89');
});

test('production refuses the local development token secret; a real one or a public key is accepted', () => {
  expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/AUTH_JWT_SECRET/);
  const production = { NODE_ENV: 'production', AUTH_JWT_SECRET: 'a-deployment-secret-of-at-least-32-chars', REPORTER_KEY_SECRET: 'a-reporter-key-secret-of-at-least-32-chars' };
  expect(loadConfig(production).AUTH_JWT_SECRET).toHaveLength(40);
  // The reporter hash's key is a secret too: production refuses the development default.
  expect(() => loadConfig({ ...production, REPORTER_KEY_SECRET: undefined as unknown as string })).toThrow(/REPORTER_KEY_SECRET/);
  expect(() => loadConfig({ AUTH_JWT_SECRET: 'short' })).toThrow(/AUTH_JWT_SECRET: must be at least 32 characters/);
  expect(loadConfig({}).NODE_ENV).toBe('development');
});

test('the ticket limits and the embedded dev server\'s log level come from the environment, checked', () => {
  // The dev server's shutdown warnings (its own workers reconnecting) stay out of npm start's output by default.
  expect(loadConfig({})).toMatchObject({ TEMPORAL_DEV_LOG_LEVEL: 'error', TICKET_WRITES_PER_USER_PER_HOUR: 120, TICKET_HISTORY_EVENTS_LIMIT: 10_000 });
  expect(loadConfig({ TEMPORAL_DEV_LOG_LEVEL: 'warn' }).TEMPORAL_DEV_LOG_LEVEL).toBe('warn');
  expect(() => loadConfig({ TEMPORAL_DEV_LOG_LEVEL: 'loud' })).toThrow(/TEMPORAL_DEV_LOG_LEVEL/);
  expect(() => loadConfig({ TICKET_HISTORY_EVENTS_LIMIT: '10' })).toThrow(/TICKET_HISTORY_EVENTS_LIMIT/);
  // The worker's cache, which bounds its memory (issue 12): a number, 500 unless set.
  expect(loadConfig({}).WORKER_MAX_CACHED_WORKFLOWS).toBe(500);
  expect(loadConfig({ WORKER_MAX_CACHED_WORKFLOWS: '2000' }).WORKER_MAX_CACHED_WORKFLOWS).toBe(2000);
  expect(() => loadConfig({ WORKER_MAX_CACHED_WORKFLOWS: 'many' })).toThrow(/WORKER_MAX_CACHED_WORKFLOWS/);
});

describe('other clusters: Temporal Cloud or mTLS, and tokens from a JWKS', () => {
  const { temporalConnectionOptions, authConfig } = require('../../lib/config') as typeof import('../../lib/config');
  const fs = require('node:fs') as typeof import('node:fs');
  const os = require('node:os') as typeof import('node:os');
  const path = require('node:path') as typeof import('node:path');
  const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

  test('a local cluster is plain; an API key brings TLS; mTLS takes PEM text or a file, with a CA and a server name', () => {
    expect(temporalConnectionOptions(loadConfig({}))).toEqual({ address: '127.0.0.1:7233' });
    expect(temporalConnectionOptions(loadConfig({ TEMPORAL_ADDRESS: 'ns.a1b2c.tmprl.cloud:7233', TEMPORAL_API_KEY: 'key-123' }))).toEqual({ address: 'ns.a1b2c.tmprl.cloud:7233', tls: {}, apiKey: 'key-123' });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotline-tls-'));
    fs.writeFileSync(path.join(dir, 'client.key'), '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n');
    const options = temporalConnectionOptions(loadConfig({ TEMPORAL_TLS_CERT: PEM, TEMPORAL_TLS_KEY: path.join(dir, 'client.key'), TEMPORAL_TLS_CA: PEM, TEMPORAL_TLS_SERVER_NAME: 'temporal.internal' }));
    expect(options.tls).toMatchObject({ serverNameOverride: 'temporal.internal' });
    expect(String((options.tls as any).clientCertPair.crt)).toBe(PEM);
    expect(String((options.tls as any).clientCertPair.key)).toContain('PRIVATE KEY');
    expect(String((options.tls as any).serverRootCACertificate)).toBe(PEM);
  });

  test('a certificate without its key (or the reverse) is refused at start-up, naming the variable', () => {
    expect(() => loadConfig({ TEMPORAL_TLS_CERT: PEM })).toThrow(/TEMPORAL_TLS_KEY/);
    expect(() => loadConfig({ TEMPORAL_TLS_KEY: PEM })).toThrow(/TEMPORAL_TLS_CERT/);
  });

  test('AUTH_JWKS_URL takes precedence, turns the development sign-in off, and must be https in production', () => {
    const c = loadConfig({ AUTH_JWKS_URL: 'https://idp.example/.well-known/jwks.json' });
    expect(authConfig(c)).toEqual({ jwksUrl: 'https://idp.example/.well-known/jwks.json', issuer: 'tj-transport-hotline', audience: 'hotline-api' });
    const { devSignInConfig } = require('../../lib/config') as typeof import('../../lib/config');
    expect(devSignInConfig(c)).toBeUndefined();
    expect(() => loadConfig({ NODE_ENV: 'production', REPORTER_KEY_SECRET: 'x'.repeat(40), AUTH_JWKS_URL: 'http://idp.example/jwks' })).toThrow(/AUTH_JWKS_URL/);
    expect(loadConfig({ NODE_ENV: 'production', REPORTER_KEY_SECRET: 'x'.repeat(40), AUTH_JWKS_URL: 'https://idp.example/jwks' }).AUTH_JWKS_URL).toBe('https://idp.example/jwks');
  });
});
