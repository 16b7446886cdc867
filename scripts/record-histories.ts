/**
 * Records the histories of representative tickets on the time-skipping server into test/histories/, for the replay
 * test. Run it (npx tsx scripts/record-histories.ts) when a new path of the workflow exists; never to "fix" a replay
 * failure — a failing replay means the change broke running tickets and needs a patched() branch instead.
 *
 * Uses its own scratch database (hotline_record on DATABASE_URL's server), created and migrated here.
 */
import fs from 'node:fs';
import path from 'node:path';
import { TicketService } from '../api/ticket-service';
import type { Dispatch } from '../api/schemas';
import { createDb } from '../lib/db';
import { loadConfig } from '../lib/config';
import { ensureDatabase, migrateDeploy } from './migrate';
import { createWorker } from '../lib/worker';
import { addSearchAttributes } from '../lib/temporal';
import { PROJECT_ROOT, temporalTestServerPath } from '../lib/tools';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';

const HOUR = 3600_000;
const OUT = path.join(PROJECT_ROOT, 'test', 'histories');

async function main() {
  const url = new URL(loadConfig().DATABASE_URL);
  url.pathname = '/hotline_record';
  await ensureDatabase(url.toString());
  migrateDeploy(url.toString());
  const db = createDb(url.toString());
  const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: temporalTestServerPath() } } });
  await addSearchAttributes(env.connection, 'default');
  const taskQueue = 'record-histories';
  const worker = await createWorker({ connection: env.nativeConnection, namespace: 'default', taskQueue, db });
  const service = new TicketService({ db, client: env.client, taskQueue });
  const stamp = Date.now().toString(36).toUpperCase();

  const scenarios: Record<string, (no: string, d: Dispatch) => Promise<void>> = {
    'accepted-on-time': async (no, d) => {
      await env.sleep(HOUR);
      await service.accept(no, { unitId: d.unitId, acceptedBy: 'recorder' });
    },
    'accepted-after-overdue': async (no, d) => {
      await env.sleep(4 * HOUR);
      await service.accept(no, { unitId: 'port-shipping-bureau', acceptedBy: 'wrong-unit' }).catch(() => undefined);
      await service.accept(no, { unitId: d.unitId, acceptedBy: 'recorder' });
    },
  };

  await worker.runUntil(async () => {
    for (const [name, run] of Object.entries(scenarios)) {
      const now = await env.currentTimeMs();
      const ticketNo = `REC-${name}-${stamp}`.slice(0, 64);
      const d: Dispatch = {
        ticketNo,
        channel: '12345',
        category: 'complaint',
        urgency: null,
        labels: [],
        dispatchedAt: new Date(now - 600_000).toISOString(),
        unitId: 'road-transport-bureau',
        dispatchedToUnitAt: new Date(now).toISOString(),
        reporter: { anonymous: true },
        subject: 'recorded scenario',
        content: 'recorded scenario',
      };
      await service.dispatch(d);
      await run(ticketNo, d);
      const handle = env.client.workflow.getHandle(ticketNo);
      await handle.result();
      const history = await handle.fetchHistory();
      fs.writeFileSync(path.join(OUT, `${name}.json`), historyToJSON(history) + '\n');
      console.log(`recorded ${name}`);
    }
  });
  await env.teardown();
  await db.$disconnect();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
