import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, expect, test } from 'vitest';
import { storeFile } from './config.ts';
import { Store } from './store/store.ts';

/** `npm start` (main.ts) as a subprocess: what a first start writes, and when. */

const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const MAIN = new URL('./main.ts', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'temper-main-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs main.ts until `until` matches its output (then SIGTERM) or it exits; never longer than 60 s. */
function start(env: Record<string, string>, until?: RegExp): Promise<{ code: number | null; out: string; ms: number }> {
  const t0 = Date.now();
  const child = spawn(process.execPath, ['--import', TSX, MAIN], { env: { ...process.env, TEMPER_WORKERS: '1', NODE_ENV: 'test', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const onData = (b: Buffer) => {
    out += b.toString();
    if (until?.test(out)) child.kill('SIGTERM');
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out, ms: Date.now() - t0 });
    });
  });
}

test('a busy port: one line, exit 1, quickly, and nothing written (the first token is not burnt)', async () => {
  const blocker: Server = createServer();
  const port = await new Promise<number>((r) => blocker.listen(0, '127.0.0.1', () => r((blocker.address() as { port: number }).port)));
  try {
    const dataDir = join(work, 'busy');
    const r = await start({ TEMPER_DATA_DIR: dataDir, TEMPER_PORT: String(port) });
    expect(r.code).toBe(1);
    expect(r.out.trim().split('\n')).toEqual([`[temper] cannot listen on 127.0.0.1:${port}: the port is in use (another Temper or another server); stop it, or pick another port with TEMPER_PORT (0 picks a free one)`]);
    expect(r.ms).toBeLessThan(30_000);
    expect(existsSync(storeFile(dataDir))).toBe(false);
  } finally {
    blocker.close();
  }

  // The same data directory on a free port: this is the first start, and it prints the token.
  const first = await start({ TEMPER_DATA_DIR: join(work, 'busy'), TEMPER_PORT: '0' }, /API ready/);
  const token = /\[temper\] {3}(tmp_[\w-]{43})/.exec(first.out)?.[1];
  expect(token).toBeDefined();
  expect(first.out.indexOf(token!)).toBeLessThan(first.out.indexOf('API ready'));
  const store = await Store.open(storeFile(join(work, 'busy')));
  try {
    expect((await store.ownerByToken(token!))?.name).toBe('owner');
  } finally {
    await store.close();
  }

  // A later start prints no token, but says how to get a new one.
  const second = await start({ TEMPER_DATA_DIR: join(work, 'busy'), TEMPER_PORT: '0' }, /API ready/);
  expect(second.out).not.toMatch(/tmp_[\w-]{43}/);
  expect(second.out).toContain('`npm run token -- reset owner` mints a new one');
}, 120_000);
