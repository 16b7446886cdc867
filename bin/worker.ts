/** The Temporal worker alone, against TEMPORAL_ADDRESS and DATABASE_URL (for deployments). */
import { ScheduleAlreadyRunning, type Client } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { databaseUrlOf, loadConfig, platformConfig, ruleParameters, temporalConnectionOptions, webhookConfig } from '../lib/config';
import { createDb } from '../lib/db';
import { createLogger } from '../lib/logger';
import { connectClient, ensureRevisitSchedule } from '../lib/temporal';
import { ensureAppealPackageSchedule } from '../activities/appeals';
import { createWorker, installWorkerRuntime } from '../lib/worker';
import { MONTHLY_FILINGS_SCHEDULE } from '../workflows/monthly-filings';
import { onShutdown } from './shutdown';

/**
 * 第三十一条: on the 15th of each month at 01:00 Asia/Shanghai the `monthly-filings` schedule starts
 * monthlyFilingsWorkflow without a month, which opens the next month's filings as `monthly-filings:<YYYY-MM>` — early
 * enough for a knowledge-base report moved into the previous month (2026-05's is due by the end of 2026-04-30). A run
 * missed while the cluster was down is caught up within 10 days. Created once, with a first run at once (a deployment after
 * the 15th still opens the next month); an existing schedule is left as it is.
 */
export async function ensureMonthlyFilingsSchedule(client: Client, taskQueue: string): Promise<'created' | 'exists'> {
  try {
    await client.schedule.create({
      scheduleId: MONTHLY_FILINGS_SCHEDULE,
      spec: { calendars: [{ dayOfMonth: 15, hour: 1, minute: 0 }], timezone: 'Asia/Shanghai' },
      action: { type: 'startWorkflow', workflowType: 'monthlyFilingsWorkflow', workflowId: 'monthly-filings-opening', taskQueue, args: [{}] },
      policies: { overlap: 'SKIP', catchupWindow: '10 days' },
      // A schedule created after the 15th still opens the next month now (opening a month twice does nothing).
      state: { triggerImmediately: true },
    });
    return 'created';
  } catch (err) {
    if (err instanceof ScheduleAlreadyRunning) return 'exists';
    throw err;
  }
}

export async function runWorker(config = loadConfig()) {
  const logger = createLogger(config.LOG_LEVEL, 'worker');
  installWorkerRuntime(config.WORKER_METRICS_ADDRESS, config.LOG_LEVEL === 'debug' || config.LOG_LEVEL === 'trace' ? 'DEBUG' : 'WARN');
  if (config.WORKER_METRICS_ADDRESS) logger.info({ metrics: `http://${config.WORKER_METRICS_ADDRESS}/metrics` }, 'worker metrics');
  const db = createDb(databaseUrlOf(config));
  const connection = await NativeConnection.connect(temporalConnectionOptions(config));
  const worker = await createWorker({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    db,
    webhook: webhookConfig(config),
    platform: platformConfig(config),
    params: ruleParameters(config),
    logger,
  }, { maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS });
  const running = worker.run();
  logger.info({ taskQueue: config.TEMPORAL_TASK_QUEUE }, 'worker running');
  // 第十七条: the daily revisit draw runs on this task queue.
  const temporal = await connectClient(temporalConnectionOptions(config), config.TEMPORAL_NAMESPACE);
  logger.info({ schedule: await ensureRevisitSchedule(temporal.client, config.TEMPORAL_TASK_QUEUE) }, 'revisit sampling schedule');
  // 第二十八条: on the 1st of each month, last month's appeal package of each unit with appeals is opened on this task queue.
  logger.info({ schedule: await ensureAppealPackageSchedule(temporal.client, config.TEMPORAL_TASK_QUEUE) }, 'appeal package schedule');
  // 第三十一条: each month's knowledge-base and training reports are opened on this task queue.
  logger.info({ schedule: await ensureMonthlyFilingsSchedule(temporal.client, config.TEMPORAL_TASK_QUEUE) }, 'monthly filings schedule');
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
