/** Drops the database the global set-up created for this run, and stops the embedded PostgreSQL it started. */
import { rmSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { stopEmbeddedPostgres } from '../../lib/embedded-postgres';
import { adminUrl } from './global-setup';

export default async function globalTeardown(): Promise<void> {
  const embedded = process.env.TEST_EMBEDDED_POSTGRES_DIR;
  if (embedded) {
    // The whole server goes, and its folder with it.
    stopEmbeddedPostgres(embedded);
    rmSync(path.dirname(embedded), { recursive: true, force: true });
    return;
  }
  const name = process.env.TEST_DATABASE_OWNED;
  if (!name || !process.env.TEST_DATABASE_URL) return;
  const client = new pg.Client({ connectionString: adminUrl(process.env.TEST_DATABASE_URL) });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
