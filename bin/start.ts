/**
 * `npm start`: the whole system on its embedded defaults, in the foreground — PostgreSQL (DATABASE_URL's, or the
 * embedded one under DATA_DIR/postgres when it is not set), the Temporal dev server (SQLite state under DATA_DIR, Web
 * UI on TEMPORAL_UI_PORT), the worker and the HTTP API on PORT. Ctrl-C stops all of it, in the
 * reverse order of start: the API, then the worker (waiting until it has drained), then the dev server — the worker's
 * connection never outlives the server it dials. The dev server has a process group of its own (lib/dev-server.ts), so
 * Ctrl-C reaches it only through this order.
 */
import path from 'node:path';
import { loadConfig } from '../lib/config';
import { resolveDatabase } from '../lib/database';
import { ensureDatabase, migrateDeploy } from '../scripts/migrate';
import { startDevServer } from '../lib/dev-server';
import { connectClient, ensureSearchAttributes } from '../lib/temporal';
import { PROJECT_ROOT } from '../lib/tools';
import { runApi } from './api';
import { onShutdown } from './shutdown';
import { runWorker } from './worker';

async function main() {
  const config = loadConfig();
  // What has started, stopped last first. Installed before anything starts, so a Ctrl-C during start-up stops what is
  // running (a dev server still starting stops when this process exits: lib/dev-server.ts).
  const started: { stop(): Promise<void> }[] = [];
  onShutdown(async () => {
    for (const part of started.reverse()) await part.stop();
  });

  // PostgreSQL first (stopped last): DATABASE_URL's, or the embedded one under DATA_DIR, migrated like setup does.
  const database = await resolveDatabase(config);
  if (database.embedded) {
    started.push(database.embedded);
    await ensureDatabase(database.url);
    migrateDeploy(database.url);
  }
  const withDatabase = { ...config, DATABASE_URL: database.url };

  const dbFile = path.resolve(PROJECT_ROOT, config.DATA_DIR, 'temporal.sqlite');
  const server = await startDevServer({ address: config.TEMPORAL_ADDRESS, uiPort: config.TEMPORAL_UI_PORT, namespace: config.TEMPORAL_NAMESPACE, dbFile, logLevel: config.TEMPORAL_DEV_LOG_LEVEL });
  started.push(server);
  // start-dev registers the attributes; a SQLite file from an older version of the project may lack newer ones.
  const { connection } = await connectClient(config.TEMPORAL_ADDRESS, config.TEMPORAL_NAMESPACE);
  await ensureSearchAttributes(connection, config.TEMPORAL_NAMESPACE);
  await connection.close();

  started.push(await runWorker(withDatabase));
  started.push(await runApi(withDatabase));
  const [host] = config.TEMPORAL_ADDRESS.split(':');
  console.log(
    [
      '',
      `Temporal frontend  ${config.TEMPORAL_ADDRESS}   (state: ${dbFile})`,
      `Temporal Web UI    http://${host}:${config.TEMPORAL_UI_PORT}`,
      `PostgreSQL         ${database.description}`,
      `HTTP API           http://127.0.0.1:${config.PORT}/api/v1   health: /health`,
      `Dashboard          http://127.0.0.1:${config.PORT}/dashboard`,
      `Metrics            http://127.0.0.1:${config.PORT}/metrics (API)${config.WORKER_METRICS_ADDRESS ? `   http://${config.WORKER_METRICS_ADDRESS}/metrics (worker)` : ''}`,
      'Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
