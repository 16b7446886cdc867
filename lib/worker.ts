/** The Temporal worker: ticket workflows and their activities on one task queue. */
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';
import type { Db } from './db';

export interface WorkerDeps extends Omit<ActivityDeps, 'db'> {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  db: Db;
}

export const WORKFLOWS_PATH = require.resolve('../workflows');

export async function createWorker({ connection, namespace, taskQueue, db, ...activityDeps }: WorkerDeps, extra: Partial<WorkerOptions> = {}): Promise<Worker> {
  return Worker.create({
    connection,
    namespace,
    taskQueue,
    workflowsPath: WORKFLOWS_PATH,
    activities: createActivities({ db, ...activityDeps }),
    ...extra,
  });
}
