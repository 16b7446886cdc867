/** The Temporal worker alone, against TEMPORAL_ADDRESS and DATABASE_URL (for deployments). */
import { NativeConnection } from '@temporalio/worker';
import { loadConfig, platformConfig, ruleParameters, webhookConfig } from '../lib/config';
import { createDb } from '../lib/db';
import { createLogger } from '../lib/logger';
import { connectClient, ensureRevisitSchedule } from '../lib/temporal';
import { createWorker } from '../lib/worker';
import { onShutdown } from './shutdown';

export async function runWorker(config = loadConfig()) {
  const logger = createLogger(config.LOG_LEVEL, 'worker');
  const db = createDb(config.DATABASE_URL);
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const worker = await createWorker({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    db,
    webhook: webhookConfig(config),
    platform: platformConfig(config),
    params: ruleParameters(config),
    logger,
  });
  const running = worker.run();
  logger.info({ taskQueue: config.TEMPORAL_TASK_QUEUE }, 'worker running');
  // 第十七条: the daily revisit draw runs on this task queue.
  const temporal = await connectClient(config.TEMPORAL_ADDRESS, config.TEMPORAL_NAMESPACE);
  logger.info({ schedule: await ensureRevisitSchedule(temporal.client, config.TEMPORAL_TASK_QUEUE) }, 'revisit sampling schedule');
  await temporal.connection.close();
  return {
    running,
    async stop() {
      // The SDK stops the worker on SIGINT/SIGTERM by itself; only ask when it is still running.
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      await connection.close();
      await db.$disconnect();
      logger.info('worker stopped');
    },
  };
}

if (require.main === module) {
  runWorker().then(
    (w) => onShutdown(() => w.stop()),
    (err) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
