import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

/**
 * `npm start`'s entry point (server/src/main.ts) as a child process on a free port, for tests that
 * drive Temper from outside: it resolves once the API is ready, with the URL and the first-start
 * owner token it printed.
 */

const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const MAIN = createRequire(import.meta.url).resolve('@temper/server/main');

export interface ServerProcess {
  readonly base: string;
  readonly token: string;
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

export async function startServerProcess(dataDir: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', TSX, MAIN], {
    env: { ...process.env, TEMPER_DATA_DIR: dataDir, TEMPER_PORT: '0', TEMPER_WORKERS: '1', NODE_ENV: 'test', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output.join('')}`)), 60_000);
    child.stdout!.on('data', (b: Buffer) => {
      output.push(b.toString());
      const m = /API ready in [\d.]+ s at (http:\/\/[\d.]+:\d+)\/graphql/.exec(output.join(''));
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.stderr!.on('data', (b: Buffer) => output.push(b.toString()));
    child.once('exit', (code) => reject(new Error(`server exited (${code}):\n${output.join('')}`)));
  });
  const token = /tmp_[\w-]{43}/.exec(output.join(''))?.[0];
  if (!token) throw new Error(`no first-start token in the server output:\n${output.join('')}`);
  return {
    base,
    token,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
