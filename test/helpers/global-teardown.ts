/** Drops the database the global set-up created for this run, and stops the embedded PostgreSQL it started. */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { stopEmbeddedPostgres } from '../../lib/embedded-postgres';
import { onServer } from './global-setup';

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
  await onServer(process.env.TEST_DATABASE_URL, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}
