/**
 * `npm run setup` installs the npm dependencies only when node_modules was not installed from the current lockfile
 * (scripts/setup.sh `install_deps`). Run here in a scratch project with a stand-in `npm` that records its calls, so a
 * second set-up that runs `npm ci` again (39 s on a real machine) fails the test.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../lib/tools';

const SETUP = path.join(PROJECT_ROOT, 'scripts', 'setup.sh');

let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'setup-deps-'));
  fs.mkdirSync(path.join(dir, 'bin'));
  // `npm ci` as far as set-up can tell: node_modules replaced, plus npm's own hidden lockfile in its own form.
  fs.writeFileSync(
    path.join(dir, 'bin', 'npm'),
    [
      '#!/usr/bin/env bash',
      'echo "$*" >> "$NPM_CALLS"',
      '[ "${NPM_FAILS:-}" = 1 ] && { mkdir -p node_modules/half-installed; exit 1; }',
      'rm -rf node_modules && mkdir -p node_modules/some-package',
      'echo \'{"name":"scratch","lockfileVersion":3,"packages":{"node_modules/some-package":{}}}\' > node_modules/.package-lock.json',
      '',
    ].join('\n'),
    { mode: 0o755 },
  );
  fs.writeFileSync(path.join(dir, 'package.json'), '{"name":"scratch","dependencies":{"some-package":"1.0.0"}}\n');
  fs.writeFileSync(path.join(dir, 'package-lock.json'), '{"name":"scratch","lockfileVersion":3,"packages":{"":{},"node_modules/some-package":{"version":"1.0.0"}}}\n');
});

afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The dependency step of scripts/setup.sh, in the scratch project. */
function installDeps(env: Record<string, string> = {}) {
  const run = spawnSync('bash', ['-c', 'source "$1" && install_deps', 'bash', SETUP], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, PATH: `${path.join(dir, 'bin')}:${process.env.PATH}`, NPM_CALLS: path.join(dir, 'npm-calls'), ...env },
  });
  return { status: run.status, out: run.stdout + run.stderr };
}

const npmCalls = () => (fs.existsSync(path.join(dir, 'npm-calls')) ? fs.readFileSync(path.join(dir, 'npm-calls'), 'utf8').trim().split('\n') : []);

test('a second set-up finds the dependencies up to date and does not run npm ci again', () => {
  expect(installDeps().status).toBe(0);
  expect(npmCalls()).toEqual(['ci --no-audit --no-fund']);

  const again = installDeps();
  expect(again.status).toBe(0);
  expect(again.out).toContain('dependencies are up to date');
  expect(npmCalls()).toHaveLength(1);
});

test('a changed package-lock.json or package.json installs again, once', () => {
  installDeps();
  fs.appendFileSync(path.join(dir, 'package-lock.json'), '\n');
  installDeps();
  installDeps();
  expect(npmCalls()).toHaveLength(2);

  fs.writeFileSync(path.join(dir, 'package.json'), '{"name":"scratch","dependencies":{"some-package":"1.0.1"}}\n');
  installDeps();
  installDeps();
  expect(npmCalls()).toHaveLength(3);
});

test('a failed npm ci leaves no stamp: set-up fails and the next one installs again', () => {
  installDeps();
  fs.appendFileSync(path.join(dir, 'package-lock.json'), '\n');
  const failed = installDeps({ NPM_FAILS: '1' });
  expect(failed.status).not.toBe(0);
  expect(fs.existsSync(path.join(dir, 'node_modules', '.setup-lock-hash'))).toBe(false);

  expect(installDeps().status).toBe(0);
  expect(npmCalls()).toHaveLength(3);
  expect(installDeps().out).toContain('dependencies are up to date');
});

test('node_modules removed by hand is installed again', () => {
  installDeps();
  fs.rmSync(path.join(dir, 'node_modules'), { recursive: true });
  installDeps();
  expect(npmCalls()).toHaveLength(2);
});
