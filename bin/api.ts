/** The HTTP API alone, against TEMPORAL_ADDRESS and DATABASE_URL (for deployments). */
import { authConfig, databaseUrlOf, devSignInConfig, loadConfig, ruleParameters, temporalConnectionOptions } from '../lib/config';
import { createDb } from '../lib/db';
import { createLogger } from '../lib/logger';
import { connectClient } from '../lib/temporal';
import { createApp } from '../api/app';
import { onShutdown } from './shutdown';

export async function runApi(config = loadConfig()) {
  const logger = createLogger(config.LOG_LEVEL, 'api');
  const db = createDb(databaseUrlOf(config));
  const { connection, client } = await connectClient(temporalConnectionOptions(config), config.TEMPORAL_NAMESPACE);
  const app = createApp({
    db,
    client,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    logger,
    params: ruleParameters(config),
    auth: authConfig(config),
    rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE,
    ticketWritesPerUserPerHour: config.TICKET_WRITES_PER_USER_PER_HOUR,
    historyEventsLimit: config.TICKET_HISTORY_EVENTS_LIMIT,
    reporterKeySecret: config.REPORTER_KEY_SECRET,
    devSignIn: devSignInConfig(config),
    ...(config.METRICS_TOKEN ? { metricsToken: config.METRICS_TOKEN } : {}),
  });
  const server = app.listen(config.PORT, () => logger.info({ port: config.PORT }, 'API listening'));
  return {
    async stop() {
      // No new requests; those in flight finish; idle keep-alive connections close now rather than at their timeout.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await closed;
      await connection.close();
      await db.$disconnect();
      logger.info('API stopped');
    },
  };
}

if (require.main === module) {
  runApi().then(
    (api) => onShutdown(() => api.stop()),
    (err) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
