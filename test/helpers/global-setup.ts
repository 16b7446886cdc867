/**
 * Jest global set-up: a fresh test database, created and migrated like production (prisma migrate deploy), on the
 * PostgreSQL of DATABASE_URL's server. Test files share it; each uses its own ticket numbers.
 */
import pg from 'pg';
import { DEFAULT_DATABASE_URL } from '../../lib/config';
import { migrateDeploy } from '../../scripts/migrate';

export default async function globalSetup(): Promise<void> {
  const base = new URL(process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL);
  const name = process.env.TEST_DATABASE_URL ? base.pathname.slice(1) : 'hotline_test';
  base.pathname = `/${name}`;
  const admin = new URL(base.toString());
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  migrateDeploy(base.toString());
  process.env.TEST_DATABASE_URL = base.toString();
}
