/**
 * The embedded Temporal dev server (`temporal server start-dev`) used by `npm start`: state in a SQLite file so tickets
 * survive a restart, the Web UI, and the project's search attributes registered at launch.
 *
 * The server runs in a process group of its own, so Ctrl-C in the terminal (SIGINT to the foreground process group)
 * reaches only `npm start`, which stops the API and the worker first and the server last (`stop()`). In the terminal's
 * group it would shut down at the same moment as the worker still connected to it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { CLI_TYPE_NAMES, SEARCH_ATTRIBUTES } from '../workflows/search-attributes';
import { temporalCliPath } from './tools';

export interface DevServerOptions {
  /** host:port of the frontend. */
  address: string;
  uiPort: number;
  namespace: string;
  /** SQLite file; omitted = in memory. */
  dbFile?: string;
  /** Disable the Web UI (tests). */
  headless?: boolean;
  /** The server's own log level (TEMPORAL_DEV_LOG_LEVEL); default `error`. */
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
}

export interface DevServer {
  /** The supervisor (SUPERVISOR) leading the server's process group. */
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Runs the server (`"$@"`) and stops it with SIGTERM once its standard input, a pipe from this process, closes: on
 * `stop()`, and when this process ends in any way (tsx SIGKILLs a process too busy to acknowledge a signal), so a
 * server outside the terminal's process group never outlives `npm start`. Exits with the server's status.
 */
const SUPERVISOR = [
  'exec 3<&0', // an asynchronous command's standard input is /dev/null unless redirected explicitly
  '"$@" 3<&- </dev/null & server=$!',
  '{ read -r _ <&3; kill -TERM "$server" 2>/dev/null; } & watcher=$!',
  'wait "$server"; status=$?',
  'kill "$watcher" 2>/dev/null',
  'exit "$status"',
].join('\n');

export async function startDevServer(opts: DevServerOptions): Promise<DevServer> {
  const [host, port] = opts.address.split(':') as [string, string];
  const args = ['server', 'start-dev', '--ip', host, '--port', port, '--namespace', opts.namespace, '--log-level', opts.logLevel ?? 'error'];
  if (opts.headless) args.push('--headless');
  else args.push('--ui-port', String(opts.uiPort), '--ui-disable-news-fetch');
  if (opts.dbFile) {
    fs.mkdirSync(path.dirname(opts.dbFile), { recursive: true });
    args.push('--db-filename', opts.dbFile);
  }
  for (const key of SEARCH_ATTRIBUTES) args.push('--search-attribute', `${key.name}=${CLI_TYPE_NAMES[key.type]}`);

  const child = spawn('sh', ['-c', SUPERVISOR, 'temporal-dev-server', temporalCliPath(), ...args], { stdio: ['pipe', 'inherit', 'inherit'], detached: true });
  /** The supervisor, the server and the watcher at once (the group the supervisor leads). */
  const killAll = () => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let exitedEarly = false;
  void exited.then(() => (exitedEarly = true));

  // Wait until the frontend answers (a fresh SQLite file takes a few seconds to initialise).
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exitedEarly) throw new Error(`temporal server start-dev exited (code ${child.exitCode}, output above); is port ${port} already in use?`);
    try {
      const connection = await Connection.connect({ address: opts.address, connectTimeout: 1000 });
      await connection.workflowService.describeNamespace({ namespace: opts.namespace });
      await connection.close();
      break;
    } catch (err) {
      if (Date.now() > deadline) {
        killAll();
        throw new Error(`Temporal dev server did not become ready on ${opts.address}: ${(err as Error).message}`);
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  return {
    process: child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.stdin!.end(); // the supervisor sends the server SIGTERM and waits for it
      const timer = setTimeout(killAll, 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
