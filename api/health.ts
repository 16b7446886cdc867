/** Readiness of the service's dependencies: PostgreSQL and Temporal, each with the reason when it is not reachable. */
import type { Client } from '@temporalio/client';
import type { Db } from '../lib/db';

export type Check = { ok: true } | { ok: false; reason: string };

async function within<T>(ms: number, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const reasonOf = (err: unknown) => (err instanceof Error ? err.message : String(err)).split('\n')[0]!.slice(0, 300);

/** Whether the Temporal frontend answers for `namespace` within `ms`. */
export function checkTemporal(client: Client, namespace: string, ms = 3000): Promise<Check> {
  return within(ms, client.workflowService.describeNamespace({ namespace })).then(
    (): Check => ({ ok: true }),
    (err): Check => ({ ok: false, reason: `Temporal: ${reasonOf(err)}` }),
  );
}

export async function checkHealth(db: Db, client: Client, namespace: string): Promise<{ ok: boolean; checks: { database: Check; temporal: Check } }> {
  const [database, temporal] = await Promise.all([
    within(3000, db.$queryRaw`SELECT 1`).then(
      (): Check => ({ ok: true }),
      (err): Check => ({ ok: false, reason: `PostgreSQL: ${reasonOf(err)}` }),
    ),
    checkTemporal(client, namespace),
  ]);
  return { ok: database.ok && temporal.ok, checks: { database, temporal } };
}
