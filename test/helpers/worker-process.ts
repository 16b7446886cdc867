/** The worker as `npm run worker` runs it, in a process of its own, against the test database and a Temporal server. */
import { spawn, type ChildProcess } from 'node:child_process';
import { PROJECT_ROOT } from '../../lib/tools';

export interface WorkerProcess {
  child: ChildProcess;
  /** What it wrote to stdout and stderr so far. */
  log(): string;
  /** Sends `signal` and waits for the process to exit (at once when it already has). */
  kill(signal: NodeJS.Signals): Promise<void>;
}

export function spawnWorker(temporalAddress: string, taskQueue: string): WorkerProcess {
  let log = '';
  // One process: node with tsx's loader. The `tsx` command would run the worker in a child of its own, which a SIGKILL
  // of the command leaves running.
  const child = spawn(process.execPath, ['--import', 'tsx', 'bin/worker.ts'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, DATABASE_URL: process.env.TEST_DATABASE_URL!, TEMPORAL_ADDRESS: temporalAddress, TEMPORAL_TASK_QUEUE: taskQueue, WORKER_METRICS_ADDRESS: '', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (b) => (log += b));
  child.stderr!.on('data', (b) => (log += b));
  return {
    child,
    log: () => log,
    kill(signal) {
      if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
      return new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill(signal);
      });
    },
  };
}
