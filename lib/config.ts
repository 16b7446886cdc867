/**
 * Configuration from the environment, validated with zod once at start-up. Every value has a default that runs
 * locally; a bad value stops the process with a message naming the variable.
 */
import { z } from 'zod';

export const DEFAULT_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/hotline';

const port = z.coerce.number().int().min(1).max(65535);

export const configSchema = z.object({
  /** PostgreSQL holding the read model, audit trail and outbox. */
  DATABASE_URL: z.string().url().default(DEFAULT_DATABASE_URL),
  /** Temporal frontend, host:port. */
  TEMPORAL_ADDRESS: z
    .string()
    .regex(/^[^\s:]+:\d+$/, 'must be host:port')
    .default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('hotline-tickets'),
  /** HTTP API port. */
  PORT: port.default(3000),
  /** Temporal Web UI port of the embedded dev server (npm start). */
  TEMPORAL_UI_PORT: port.default(8233),
  /** Folder for the embedded dev server's SQLite file (npm start); git-ignored. */
  DATA_DIR: z.string().min(1).default('.data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = z.infer<typeof configSchema>;

/** Thrown when the environment does not describe a runnable configuration. */
export class ConfigError extends Error {}

/** Parses `env` (default: process.env). Throws a ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const result = configSchema.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return result.data;
}

/** The database name in a PostgreSQL URL. */
export function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, '')) || 'postgres';
}
