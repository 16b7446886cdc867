/**
 * docker-compose.yml describes a deployment: PostgreSQL, Temporal on PostgreSQL, the Temporal UI, the migration,
 * the worker and the API. `docker-compose config` (Debian's docker-compose, installed by npm run setup) validates it;
 * no engine is needed.
 */
import { spawnSync } from 'node:child_process';
import { parse } from 'yaml';
import { PROJECT_ROOT } from '../../lib/tools';
import { CLI_TYPE_NAMES, SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';

function composeConfig(env: Record<string, string>) {
  return spawnSync('docker-compose', ['-f', 'docker-compose.yml', 'config'], { cwd: PROJECT_ROOT, env: { ...process.env, ...env }, encoding: 'utf8' });
}

test('docker-compose.yml is a valid deployment of every part of the system', () => {
  const run = composeConfig({ POSTGRES_PASSWORD: 'example', AUTH_JWT_SECRET: 'a-deployment-secret-of-at-least-32-chars', REPORTER_KEY_SECRET: 'a-reporter-key-secret-of-at-least-32-chars' });
  expect(run.error).toBeUndefined();
  expect({ status: run.status, stderr: run.stderr }).toMatchObject({ status: 0 });
  const config = parse(run.stdout) as { services: Record<string, { environment?: Record<string, string>; command?: string[]; depends_on?: Record<string, unknown> }> };
  expect(Object.keys(config.services).sort()).toEqual(['api', 'migrate', 'postgresql', 'temporal', 'temporal-search-attributes', 'temporal-ui', 'worker']);

  for (const part of ['worker', 'api', 'migrate']) {
    const env = config.services[part]!.environment!;
    expect(env.DATABASE_URL).toMatch(/^postgresql:\/\/hotline:example@postgresql:5432\/hotline$/);
    expect(env.TEMPORAL_ADDRESS).toBe('temporal:7233');
    expect(env).toMatchObject({ NODE_ENV: 'production', AUTH_JWT_SECRET: 'a-deployment-secret-of-at-least-32-chars', REPORTER_KEY_SECRET: 'a-reporter-key-secret-of-at-least-32-chars' });
  }
  expect(config.services.worker!.command).toEqual(['npm', 'run', 'worker']);
  expect(config.services.api!.command).toEqual(['npm', 'run', 'api']);
  expect(Object.keys(config.services.worker!.depends_on!)).toEqual(expect.arrayContaining(['migrate', 'temporal-search-attributes']));
});

test('docker-compose.yml registers exactly the search attributes the workflows write', () => {
  const run = composeConfig({ POSTGRES_PASSWORD: 'example', AUTH_JWT_SECRET: 'a-deployment-secret-of-at-least-32-chars', REPORTER_KEY_SECRET: 'a-reporter-key-secret-of-at-least-32-chars' });
  const command = JSON.stringify((parse(run.stdout) as { services: Record<string, { command: unknown }> }).services['temporal-search-attributes']!.command);
  const registered = [...command.matchAll(/(\w+):(Keyword|Datetime|Bool|KeywordList|Text|Int|Double)\b/g)].map((m) => `${m[1]}=${m[2]}`).sort();
  expect(registered).toEqual(SEARCH_ATTRIBUTES.map((k) => `${k.name}=${CLI_TYPE_NAMES[k.type]}`).sort());
});

test('the deployment refuses to start without a database password or a token signing secret', () => {
  const noPassword = composeConfig({ POSTGRES_PASSWORD: '', AUTH_JWT_SECRET: 'a-deployment-secret-of-at-least-32-chars', REPORTER_KEY_SECRET: 'a-reporter-key-secret-of-at-least-32-chars' });
  expect(noPassword.status).not.toBe(0);
  expect(noPassword.stderr).toContain('POSTGRES_PASSWORD');
  const noSecret = composeConfig({ POSTGRES_PASSWORD: 'example', AUTH_JWT_SECRET: '', REPORTER_KEY_SECRET: 'a-reporter-key-secret-of-at-least-32-chars' });
  expect(noSecret.status).not.toBe(0);
  expect(noSecret.stderr).toContain('AUTH_JWT_SECRET');
});

test('the worker runs as N replicas (WORKER_REPLICAS, default 2), each serving its Temporal SDK metrics; official images for the rest', () => {
  const secrets = { POSTGRES_PASSWORD: 'example', AUTH_JWT_SECRET: 'a-deployment-secret-of-at-least-32-chars', REPORTER_KEY_SECRET: 'a-reporter-key-secret-of-at-least-32-chars' };
  type Services = Record<string, { image?: string; deploy?: { replicas?: number }; environment?: Record<string, string> }>;
  const services = (env: Record<string, string>) => (parse(composeConfig({ ...secrets, ...env }).stdout) as { services: Services }).services;
  const two = services({});
  expect(two.worker!.deploy?.replicas).toBe(2);
  expect(two.worker!.environment!.WORKER_METRICS_ADDRESS).toBe('0.0.0.0:9464');
  expect(services({ WORKER_REPLICAS: '4' }).worker!.deploy?.replicas).toBe(4);
  expect(two.postgresql!.image).toMatch(/^postgres:/);
  expect(two.temporal!.image).toMatch(/^temporalio\/auto-setup:/);
  expect(two['temporal-ui']!.image).toMatch(/^temporalio\/ui:/);
});
