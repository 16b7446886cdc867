/** Drops the database the global set-up created for this run. */
import pg from 'pg';
import { adminUrl } from './global-setup';

export default async function globalTeardown(): Promise<void> {
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
