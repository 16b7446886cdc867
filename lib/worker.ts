/** The Temporal worker: ticket workflows and their activities on one task queue. */
import fs from 'node:fs';
import path from 'node:path';
import { DefaultLogger, NativeConnection, Runtime, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';
import type { Db } from './db';

export interface WorkerDeps extends Omit<ActivityDeps, 'db'> {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  db: Db;
}

export const WORKFLOWS_PATH = require.resolve('../workflows');

/**
 * The Temporal SDK's runtime of a worker process: its own metrics (task latencies, schedule-to-start, slots, sticky
 * cache, activity failures) served for Prometheus at `metricsAddress` under `/metrics`. Installed once, before the
 * first connection; an empty address serves none.
 */
export function installWorkerRuntime(metricsAddress: string, logLevel: 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' = 'INFO'): void {
  if (!metricsAddress) return;
  Runtime.install({
    logger: new DefaultLogger(logLevel),
    telemetryOptions: { metrics: { prometheus: { bindAddress: metricsAddress, countersTotalSuffix: true, unitSuffix: true, useSecondsForDurations: true } } },
  });
}

/**
 * On shutdown (SIGTERM, Ctrl-C) a running activity gets this long to finish before it is cancelled and handed back to
 * Temporal, which retries it on another worker (activities are idempotent).
 */
export const SHUTDOWN_GRACE = '10s';

/**
 * Modules the workflows import that keep no per-workflow state: the rule layer (pure functions and constants of the
 * regulation), and with it what it imports (zod). The reusable V8 context evaluates a workflow's modules anew for each
 * workflow and keeps them while it is cached; these are evaluated once and shared (deep-frozen) instead. They were what
 * made a cached ticket cost about twelve times a bare workflow (issue 12; `npm run bench` measures it).
 */
export const SHARED_WORKFLOW_MODULES: readonly string[] = fs
  .readdirSync(path.join(__dirname, '..', 'rules'))
  // The calendar (and the index that re-exports it) runs in activities only: the workflows never load chinese-days.
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && f !== 'calendar.ts' && f !== 'index.ts')
  .map((f) => path.join(__dirname, '..', 'rules', f));

export async function createWorker({ connection, namespace, taskQueue, db, ...activityDeps }: WorkerDeps, extra: Partial<WorkerOptions> = {}): Promise<Worker> {
  return Worker.create({
    connection,
    namespace,
    taskQueue,
    workflowsPath: WORKFLOWS_PATH,
    bundlerOptions: { preloadModules: [...SHARED_WORKFLOW_MODULES] },
    activities: createActivities({ db, ...activityDeps }),
    shutdownGraceTime: SHUTDOWN_GRACE,
    ...extra,
  });
}
