/**
 * `npm run reconcile [-- --repair] [--all] [--json]`: compares every open ticket's workflow state with its read-model
 * row, audit trail and outbox (lib/reconcile.ts), prints each difference, and with --repair writes the rows the
 * workflows' state calls for and delivers lost notifications again. `--all` includes closed and withdrawn tickets. Exit status: 0 when no difference is left, 1 otherwise.
 * Uses DATABASE_URL, or the embedded PostgreSQL of a running `npm start`.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_DATABASE_URL, loadConfig, temporalConnectionOptions } from '../lib/config';
import { createDb } from '../lib/db';
import { reconcile, UNREPAIRABLE } from '../lib/reconcile';
import { connectClient } from '../lib/temporal';

async function main() {
  const { values } = parseArgs({ options: { repair: { type: 'boolean', default: false }, all: { type: 'boolean', default: false }, json: { type: 'boolean', default: false } } });
  const config = loadConfig();
  const db = createDb(config.DATABASE_URL ?? DEFAULT_DATABASE_URL.replace('54329', String(config.EMBEDDED_POSTGRES_PORT)));
  const { connection, client } = await connectClient(temporalConnectionOptions(config), config.TEMPORAL_NAMESPACE);
  try {
    const report = await reconcile(db, client, { repair: values.repair, includeSettled: values.all, taskQueue: config.TEMPORAL_TASK_QUEUE });
    if (values.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    else {
      for (const d of report.differences) console.log(`${d.ticketNo}  ${d.field}: read model ${JSON.stringify(d.readModel)} ≠ workflow ${JSON.stringify(d.workflow)}`);
      for (const u of report.unreadable) console.log(`${u.ticketNo}  workflow not readable: ${u.reason}`);
      console.log(`${report.checked} tickets checked, ${report.differences.length} differences${values.repair ? `, ${report.repaired} rows repaired` : ''}, ${report.unreadable.length} unreadable`);
    }
    const left = values.repair ? report.differences.filter((d) => UNREPAIRABLE.includes(d.field)).length : report.differences.length;
    process.exitCode = left === 0 && report.unreadable.length === 0 ? 0 : 1;
  } finally {
    await connection.close();
    await db.$disconnect();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(2);
});
