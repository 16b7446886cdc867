/** The Temporal worker: ticket workflows and their activities on one task queue. */
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

export async function createWorker({ connection, namespace, taskQueue, db, ...activityDeps }: WorkerDeps, extra: Partial<WorkerOptions> = {}): Promise<Worker> {
  return Worker.create({
    connection,
    namespace,
    taskQueue,
    workflowsPath: WORKFLOWS_PATH,
    activities: createActivities({ db, ...activityDeps }),
    shutdownGraceTime: SHUTDOWN_GRACE,
    ...extra,
  });
}
