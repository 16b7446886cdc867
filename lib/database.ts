/**
 * Which PostgreSQL the processes use: DATABASE_URL when it is set, exactly as given; otherwise the embedded
 * PostgreSQL (lib/embedded-postgres.ts) with its files under DATA_DIR/postgres, on EMBEDDED_POSTGRES_PORT, database
 * `hotline` — so a machine without a database server runs `npm run setup && npm start` as it is.
 */
import path from 'node:path';
import type { Config } from './config';
import { freePort, startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres';
import { PROJECT_ROOT } from './tools';

export interface Database {
  url: string;
  /** The embedded server, to stop with the rest; null for DATABASE_URL's. */
  embedded: EmbeddedPostgres | null;
  /** For the start-up banner: which database, never a password. */
  description: string;
}

/** DATABASE_URL without its password, for a banner or a log line. */
export function describeUrl(url: string): string {
  const u = new URL(url);
  return `${u.hostname}:${u.port || 5432}${u.pathname}`;
}

/**
 * `anyPort`: the embedded server listens on a free port instead of EMBEDDED_POSTGRES_PORT (setup's migration, which
 * only needs the data folder: two checkouts set up at once do not collide on the port).
 */
export async function resolveDatabase(config: Pick<Config, 'DATABASE_URL' | 'DATA_DIR' | 'EMBEDDED_POSTGRES_PORT'>, options: { anyPort?: boolean } = {}): Promise<Database> {
  if (config.DATABASE_URL) return { url: config.DATABASE_URL, embedded: null, description: `DATABASE_URL (${describeUrl(config.DATABASE_URL)})` };
  const dataDir = path.resolve(PROJECT_ROOT, config.DATA_DIR, 'postgres');
  const port = options.anyPort ? await freePort() : config.EMBEDDED_POSTGRES_PORT;
  const embedded = await startEmbeddedPostgres({ dataDir, port, database: 'hotline' });
  return { url: embedded.url, embedded, description: `embedded PostgreSQL 18 (data: ${path.relative(PROJECT_ROOT, dataDir) || dataDir}, 127.0.0.1:${embedded.port}/hotline)` };
}
