/**
 * Jest global set-up: a fresh test database, created and migrated like production (prisma migrate deploy), on the
 * PostgreSQL of DATABASE_URL's server. Test files share it; each uses its own ticket numbers.
 */
import pg from 'pg';
import { DEFAULT_DATABASE_URL } from '../../lib/config';
import { migrateDeploy } from '../../scripts/migrate';

/** Maintenance connection to the same server. */
export function adminUrl(url: string): string {
  const admin = new URL(url);
  admin.pathname = '/postgres';
  return admin.toString();
}

export default async function globalSetup(): Promise<void> {
  const base = new URL(process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL);
  // One database per run, so two runs on one machine (a developer's and a helper's) never clobber each other.
  const name = process.env.TEST_DATABASE_URL ? base.pathname.slice(1) : `hotline_test_${process.pid}`;
  base.pathname = `/${name}`;
  const client = new pg.Client({ connectionString: adminUrl(base.toString()) });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  migrateDeploy(base.toString());
  process.env.TEST_DATABASE_URL = base.toString();
  process.env.TEST_DATABASE_OWNED = name;
}
