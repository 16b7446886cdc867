/**
 * Creates the database named in DATABASE_URL (unset: the embedded PostgreSQL's `hotline`) when it is missing, then applies prisma/migrations (prisma migrate
 * deploy, through the WASM schema engine and the pg adapter: see prisma.config.ts). Safe to run again.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';
import { databaseName, loadConfig } from '../lib/config';
import { PROJECT_ROOT } from '../lib/tools';
import { resolveDatabase } from '../lib/database';

export async function ensureDatabase(databaseUrl: string): Promise<boolean> {
  const name = databaseName(databaseUrl);
  const admin = new URL(databaseUrl);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount) return false;
    await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
    return true;
  } finally {
    await client.end();
  }
}

export function migrateDeploy(databaseUrl: string): void {
  execFileSync(path.join(PROJECT_ROOT, 'node_modules', '.bin', 'prisma'), ['migrate', 'deploy'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

if (require.main === module) {
  (async () => {
    // DATABASE_URL's server, or the embedded PostgreSQL (started for the migration, then stopped).
    const database = await resolveDatabase(loadConfig(), { anyPort: true });
    try {
      const created = await ensureDatabase(database.url);
      console.log(`${database.description}: ${created ? `created database ${databaseName(database.url)}` : `database ${databaseName(database.url)} exists`}`);
      migrateDeploy(database.url);
      console.log('migrations applied');
    } finally {
      await database.embedded?.stop();
    }
  })().catch((err) => {
    console.error(`database set-up failed: ${err instanceof Error ? err.message : err}`);
    process.exit(1);
  });
}
