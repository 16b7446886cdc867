/**
 * Jest global set-up: a fresh test database, created and migrated like production (prisma migrate deploy), on the
 * PostgreSQL of DATABASE_URL's server — or, when DATABASE_URL is not set, on an embedded PostgreSQL started for this
 * run in a folder of its own on a free port (lib/embedded-postgres.ts), so `npm test` needs no database server. Test
 * files share it; each uses its own ticket numbers.
 */
import { chmodSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort, startEmbeddedPostgres } from '../../lib/embedded-postgres';
import { migrateDeploy } from '../../scripts/migrate';

/** Maintenance connection to the same server. */
export function adminUrl(url: string): string {
  const admin = new URL(url);
  admin.pathname = '/postgres';
  return admin.toString();
}

/** Runs `fn` on a maintenance connection to the server of `url`. */
export async function onServer<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl(url) });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** The database of `url`, dropped if it exists, created empty and migrated like production. */
export async function freshDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  await onServer(url, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await c.query(`CREATE DATABASE "${name}"`);
  });
  migrateDeploy(url);
}

export default async function globalSetup(): Promise<void> {
  let server = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  if (!server) {
    const folder = mkdtempSync(path.join(os.tmpdir(), 'hotline-test-pg-'));
    // As root the server runs as `postgres`, which must reach the data folder inside.
    chmodSync(folder, 0o755);
    const dataDir = path.join(folder, 'data');
    const embedded = await startEmbeddedPostgres({ dataDir, port: await freePort() });
    process.env.TEST_EMBEDDED_POSTGRES_DIR = dataDir;
    server = embedded.url;
  }
  const base = new URL(server);
  // One database per run, so two runs on one machine (a developer's and a helper's) never clobber each other.
  const name = process.env.TEST_DATABASE_URL ? base.pathname.slice(1) : `hotline_test_${process.pid}`;
  base.pathname = `/${name}`;
  await freshDatabase(base.toString());
  process.env.TEST_DATABASE_URL = base.toString();
  process.env.TEST_DATABASE_OWNED = name;
}
