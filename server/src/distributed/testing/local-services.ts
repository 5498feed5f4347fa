import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/**
 * Real `redis-server` and PostgreSQL for tests and benchmarks: each on a free port bound to
 * 127.0.0.1, in its own temporary directory, stopped (and the directory removed) by `stop()`.
 * `.ci/run` installs the Debian packages (redis-server, postgresql) when they are missing.
 */

export interface LocalService {
  readonly url: string;
  readonly port: number;
  readonly dir: string;
  stop(): Promise<void>;
}

export interface LocalRedis extends LocalService {
  /** Stops the server (it persists its append-only file) and starts it again on the same port and directory. */
  restart(downMs?: number): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

function which(cmd: string): string | null {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

/** Where initdb and postgres live: TEMPER_PG_BIN, the newest /usr/lib/postgresql/<v>/bin (Debian), or PATH. */
export function postgresBinDir(): string | null {
  if (process.env.TEMPER_PG_BIN) return process.env.TEMPER_PG_BIN;
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
    if (versions.length) return join(root, versions[0], 'bin');
  }
  const initdb = which('initdb');
  return initdb ? join(initdb, '..') : null;
}

export function localServicesAvailable(): { redis: boolean; postgres: boolean } {
  return { redis: which('redis-server') !== null, postgres: postgresBinDir() !== null };
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
    }, timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Resolves when `pattern` appears in the child's output; rejects if it exits first or after the timeout. */
function waitForOutput(child: ChildProcess, pattern: RegExp, what: string, timeoutMs = 30_000): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (b: Buffer) => {
      out += b.toString();
      if (pattern.test(out)) {
        cleanup();
        resolve();
      }
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`${what} exited (${code}) before it was ready:\n${out.slice(-2000)}`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`${what} was not ready after ${timeoutMs} ms:\n${out.slice(-2000)}`));
    }, timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
  });
}

export async function startRedis(): Promise<LocalRedis> {
  const bin = which('redis-server');
  if (!bin) throw new Error('redis-server is not installed (Debian: apt-get install redis-server; .ci/run does it)');
  const dir = mkdtempSync(join(tmpdir(), 'temper-redis-'));
  const port = await freePort();
  let child: ChildProcess;
  // Append-only file with fsync on every write: a restart keeps the queue, as a deployment's Redis should.
  const startNotice = async () => {
    child = spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always', '--save', '', '--protected-mode', 'yes'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const ready = waitForOutput(child, /Ready to accept connections/, 'redis-server');
    await ready;
    child.stdout!.resume();
    child.stderr!.resume();
  };
  await startNotice();
  const stopChild = async () => {
    child.kill('SIGTERM');
    await waitForExit(child, 10_000);
  };
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    async restart(downMs = 1000) {
      await stopChild();
      await new Promise((r) => setTimeout(r, downMs));
      await startNotice();
    },
    async stop() {
      await stopChild();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** uid/gid of the `postgres` account: PostgreSQL refuses to run as root. */
function postgresAccount(): { uid: number; gid: number } | null {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return null;
  const uid = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) throw new Error('running as root, and there is no `postgres` user to run PostgreSQL as');
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

export async function startPostgres(): Promise<LocalService> {
  const bin = postgresBinDir();
  if (!bin) throw new Error('PostgreSQL is not installed (Debian: apt-get install postgresql; .ci/run does it)');
  const dir = mkdtempSync(join(tmpdir(), 'temper-pg-'));
  const account = postgresAccount();
  if (account) chownSync(dir, account.uid, account.gid);
  const as = account ? { uid: account.uid, gid: account.gid } : {};
  const data = join(dir, 'data');
  const init = spawnSync(join(bin, 'initdb'), ['-D', data, '-U', 'temper', '--auth=trust', '-E', 'UTF8', '--no-sync', '--no-instructions'], { encoding: 'utf8', ...as, cwd: dir });
  if (init.status !== 0) throw new Error(`initdb failed:\n${init.stdout}\n${init.stderr}`);
  const port = await freePort();
  // Durability switches off: throwaway test data, and the machine is shared.
  const child = spawn(
    join(bin, 'postgres'),
    ['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=200', '-c', 'shared_buffers=32MB'],
    { stdio: ['ignore', 'pipe', 'pipe'], ...as, cwd: dir },
  );
  await waitForOutput(child, /database system is ready to accept connections/, 'postgres');
  child.stdout!.resume();
  child.stderr!.resume();
  const admin = new pg.Client({ host: '127.0.0.1', port, user: 'temper', database: 'postgres' });
  await admin.connect();
  await admin.query('create database temper');
  await admin.end();
  return {
    url: `postgres://temper@127.0.0.1:${port}/temper`,
    port,
    dir,
    async stop() {
      child.kill('SIGINT'); // fast shutdown
      await waitForExit(child, 15_000);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
