import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildCli, CLI_BUNDLE } from '../clients/scripts/build.ts';
import { tinyIdxDataset, tinyModelFiles, SERVER_MAIN } from '@temper/server/testing';

/**
 * The built `temper` CLI (clients/dist/temper.mjs, bundled here first) as a subprocess against a
 * real server (server/src/main.ts on a free port): upload, a zoo teacher, RRM hardening with
 * --wait, report (table, JSON, JUnit), gate passing and failing, evaluation, download, and every
 * documented exit code (3, 4, 5, 7, 8, 9, 10, 130) with its one-line message. No TTY here, so the
 * progress must come out as plain lines.
 */

const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const MAIN = SERVER_MAIN;
const work = mkdtempSync(join(tmpdir(), 'temper-cli-'));
let server: ChildProcess;
let base = '';
let token = '';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `node clients/dist/temper.mjs ...args`; `onStderr` sees the output as it comes (and the child). */
function temper(args: string[], options: { env?: Record<string, string>; onStderr?: (all: string, child: ChildProcess) => void; timeoutMs?: number } = {}): Promise<Run> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('TEMPER_')) env[k] = v;
  Object.assign(env, { TEMPER_URL: base, TEMPER_TOKEN: token }, options.env);
  const child = spawn(process.execPath, [CLI_BUNDLE, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (b: Buffer) => (stdout += b.toString()));
  child.stderr!.on('data', (b: Buffer) => {
    stderr += b.toString();
    options.onStderr?.(stderr, child);
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`temper ${args.join(' ')} timed out\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, options.timeoutMs ?? 90_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Runs and insists on an exit code, showing everything when it differs. */
async function expectExit(args: string[], code: number, options: Parameters<typeof temper>[1] = {}): Promise<Run> {
  const r = await temper(args, options);
  if (r.code !== code) throw new Error(`temper ${args.join(' ')}: exit ${r.code}, expected ${code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  return r;
}

const oneLine = (s: string) => s.trimEnd().split('\n');
const closedPort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

let modelId = '';
let datasetId = '';
let teacherJob = '';
let hardenJob = '';

beforeAll(async () => {
  await buildCli();
  server = spawn(process.execPath, ['--import', TSX, MAIN], {
    env: { ...process.env, TEMPER_DATA_DIR: join(work, 'data'), TEMPER_PORT: '0', TEMPER_WORKERS: '1', TEMPER_PROGRESS_INTERVAL_MS: '0', NODE_ENV: 'test' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output.join('')}`)), 60_000);
    server.stdout!.on('data', (b: Buffer) => {
      output.push(b.toString());
      const m = /API ready in [\d.]+ s at (http:\/\/[\d.]+:\d+)\/graphql/.exec(output.join(''));
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    server.stderr!.on('data', (b: Buffer) => output.push(b.toString()));
    server.once('exit', (code) => reject(new Error(`server exited (${code}):\n${output.join('')}`)));
  });
  token = /tmp_[\w-]{43}/.exec(output.join(''))![0];

  mkdirSync(join(work, 'model'));
  const { modelJson, weightsBin } = await tinyModelFiles(7);
  writeFileSync(join(work, 'model', 'model.json'), modelJson);
  writeFileSync(join(work, 'model', 'weights.bin'), weightsBin);
  const { images, labels } = await tinyIdxDataset(200);
  writeFileSync(join(work, 'digits-images.idx'), images);
  writeFileSync(join(work, 'digits-labels.idx'), labels);
});

afterAll(async () => {
  server?.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 500));
  rmSync(work, { recursive: true, force: true });
});

describe('connection and lookup failures: documented exit codes, one-line messages', () => {
  test('whoami works; a bad token is 4, no token is 4, an unreachable server is 3, an unknown id is 5', async () => {
    expect((await expectExit(['whoami'], 0)).stdout).toBe('owner\n');
    const bad = await expectExit(['--token', 'tmp_wrong', 'whoami'], 4);
    expect(oneLine(bad.stderr)).toEqual(['temper: Not authorized: send a valid API token as "Authorization: Bearer <token>". (check --token / TEMPER_TOKEN)']);
    expect((await expectExit(['whoami'], 4, { env: { TEMPER_TOKEN: '' } })).stderr).toContain('No API token');
    const port = await closedPort();
    const down = await expectExit(['whoami'], 3, { env: { TEMPER_URL: `http://127.0.0.1:${port}` } });
    expect(oneLine(down.stderr)).toHaveLength(1);
    expect(down.stderr).toContain(`Cannot reach the Temper server at http://127.0.0.1:${port}/graphql`);
    expect((await expectExit(['jobs', 'show', 'SGFyZGVuaW5nSm9iOjk5OQ=='], 5)).stderr).toContain('No object with id SGFyZGVuaW5nSm9iOjk5OQ==');
    expect((await expectExit(['report', 'not-an-id'], 5)).stderr).toBe('temper: No object with id not-an-id (not a Temper id).\n');
    await expectExit(['frobnicate'], 2);
  });
});

describe('the CI flow: upload, harden, report, gate', () => {
  test('upload a model directory and an IDX dataset; build a zoo teacher; each prints its id on stdout', async () => {
    const m = await expectExit(['upload', 'model', join(work, 'model'), '--name', 'student'], 0);
    modelId = m.stdout.trim();
    expect(modelId).toMatch(/^[\w+/=]+$/);
    expect(m.stderr).toContain('uploaded model "student"');
    const d = await expectExit(['upload', 'dataset', join(work, 'digits-labels.idx'), join(work, 'digits-images.idx')], 0);
    datasetId = d.stdout.trim();
    expect(d.stderr).toContain('uploaded dataset "digits": 200 examples');
    const z = await expectExit(['zoo', 'create', '--architecture', 'mlp', '--dataset', 'digits', '--epochs', '1', '--batch-size', '32', '--wait'], 0);
    teacherJob = z.stdout.trim();
    expect(z.stderr).toContain('status SUCCEEDED');
  });

  test('harden --wait (RRM from the zoo teacher, passed as its job id): plain progress lines, exit 0', async () => {
    const h = await expectExit(
      ['harden', '--model', modelId, '--teacher', teacherJob, '--method', 'rrm', '--eps', '0.1', '--epochs', '1', '--batch-size', '64', '--eval-attacks', 'fgsm', '--eval-eps', '0.1,0.2', '--eval-sample-size', '16', '--wait', '--progress-interval', '5'],
      0,
    );
    hardenJob = h.stdout.trim();
    expect(oneLine(h.stdout)).toEqual([hardenJob]);
    // Not a TTY: plain timestamped lines, never a carriage return or an escape sequence.
    expect(h.stderr).not.toMatch(/[\r\x1b]/);
    const lines = oneLine(h.stderr);
    expect(lines.some((l) => /^\[\s*\d+s\] training \d+%: epoch 1\/1, step \d+\/\d+, .*loss [\d.]+ \(ce [\d.]+, cos /.test(l))).toBe(true);
    expect(lines.some((l) => /^\[\s*\d+s\] status SUCCEEDED/.test(l))).toBe(true);
    expect(h.stderr).toContain('hardened model "student-rrm"');
    // Refused by the server (6): RRM needs a teacher.
    const refused = await expectExit(['harden', '--model', modelId, '--dataset', 'digits', '--method', 'rrm', '--eps', '0.1', '--epochs', '1'], 6);
    expect(oneLine(refused.stderr)).toEqual([expect.stringMatching(/^temper: TEACHER_REQUIRED: /)]);
  });

  test('report: a table, --json and --junit', async () => {
    const table = await expectExit(['report', hardenJob], 0);
    expect(table.stdout).toContain(`job        ${hardenJob}  HARDEN RRM  SUCCEEDED`);
    expect(table.stdout).toMatch(/eps\s+robust\s+after fgsm/);
    expect(table.stdout).toMatch(/\n0\.1\s+[\d.]+%\s+[\d.]+%\n0\.2\s+[\d.]+%\s+[\d.]+%/);
    const junit = join(work, 'reports', 'report.xml');
    const json = JSON.parse((await expectExit(['report', hardenJob, '--json', '--junit', junit], 0)).stdout);
    expect(json.job).toMatchObject({ id: hardenJob, status: 'SUCCEEDED', method: 'RRM' });
    expect(json.evaluation).toMatchObject({ numExamples: 16, attacks: ['fgsm'] });
    expect(json.evaluation.points.map((p: { eps: number }) => p.eps)).toEqual([0.1, 0.2]);
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toContain('<testsuites name="temper" tests="3" failures="0" errors="0">');
  });

  test('gate: exit 0 at the measured numbers, 9 with a one-line reason just above them', async () => {
    const json = JSON.parse((await expectExit(['report', hardenJob, '--json'], 0)).stdout);
    const clean: number = json.evaluation.cleanAccuracy;
    const robust: number = json.evaluation.points[1].robustAccuracy;
    const pass = await expectExit(['gate', hardenJob, '--min-robust', String(robust), '--eps', '0.2', '--min-clean', String(clean)], 0);
    expect(oneLine(pass.stdout)).toHaveLength(1);
    expect(pass.stdout).toMatch(/^gate passed: clean accuracy [\d.]+% >= --min-clean/);

    expect(clean).toBeLessThan(0.99);
    const junit = join(work, 'reports', 'gate.xml');
    const fail = await expectExit(['gate', hardenJob, '--min-robust', String(robust), '--min-clean', String(clean + 0.01), '--junit', junit], 9);
    expect(fail.stdout).toBe('');
    expect(oneLine(fail.stderr)).toEqual([`temper: gate failed: clean accuracy ${(clean * 100).toFixed(2)}% is below --min-clean ${((clean + 0.01) * 100).toFixed(2)}%`]);
    expect(readFileSync(junit, 'utf8')).toMatch(/failures="1"[\s\S]*<failure message="clean accuracy/);

    // Robust accuracy from FGSM alone is no evidence for a gate on the standard ensemble.
    const standard = await expectExit(['gate', hardenJob, '--min-robust', '0', '--attack', 'standard', '--eps', '0.1'], 9);
    expect(standard.stderr).toContain('the evaluation ran fgsm, without apgd-ce, apgd-t, square');
  });

  test('eval --wait of the hardened model (its job id stands for the model), then gate on that evaluation', async () => {
    const e = await expectExit(['eval', '--model', hardenJob, '--dataset', datasetId, '--attacks', 'fgsm,pgd', '--eps', '0.1,0.3', '--sample-size', '16', '--wait'], 0);
    const evalJob = e.stdout.trim();
    expect(e.stderr).toMatch(/clean [\d.]+%; robust [\d.]+% at eps 0\.1, [\d.]+% at eps 0\.3/);
    expect((await expectExit(['report', evalJob], 0)).stdout).toMatch(/after fgsm\s+after pgd/);
    await expectExit(['gate', evalJob, '--min-robust', '0', '--attack', 'fgsm,pgd', '--eps', '0.3'], 0);
  });

  test('download the hardened model by its job id: every file, SHA-256 checked', async () => {
    const dir = join(work, 'downloaded');
    const r = await expectExit(['download', hardenJob, dir], 0);
    expect(oneLine(r.stdout).sort()).toEqual([join(dir, 'model.json'), join(dir, 'weights.bin')]);
    expect(JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')).format).toBe('layers-model');
    expect(r.stderr).toContain('sha256 checked');
  });
});

describe('jobs that do not succeed', () => {
  test('a failing job: harden --wait exits 7 with its error code; gate and report on it exit 7 too', async () => {
    const h = await expectExit(['harden', '--model', modelId, '--dataset', 'digits', '--method', 'natural', '--eps', '0.1', '--epochs', '1', '--param', 'noSuchKnob=1', '--wait'], 7);
    const id = h.stdout.trim();
    expect(oneLine(h.stderr).at(-1)).toMatch(new RegExp(`^temper: job ${id.replace(/[+/=]/g, '\\$&')} failed: TRAINING_INVALID_CONFIG: `));
    await expectExit(['gate', id, '--min-robust', '0'], 7);
    expect((await expectExit(['report', id], 7)).stdout).toContain('error      TRAINING_INVALID_CONFIG');
  });

  test('unfinished is 10; Ctrl-C without a TTY detaches (130) and the job runs on; cancel; then 8', async () => {
    const h = await expectExit(['harden', '--model', modelId, '--dataset', 'digits', '--method', 'pgd-at', '--eps', '0.3', '--epochs', '60', '--batch-size', '16', '--param', 'steps=10', '--eval-attacks', 'fgsm', '--eval-sample-size', '16'], 0);
    const id = h.stdout.trim();
    expect((await expectExit(['gate', id, '--min-robust', '0'], 10)).stderr).toContain('no report yet (add --wait to wait for it)');

    let signalled = false;
    const watch = await expectExit(['jobs', 'watch', id, '--progress-interval', '0'], 130, {
      onStderr: (all, child) => {
        if (!signalled && /status RUNNING/.test(all) && /training/.test(all)) {
          signalled = true;
          child.kill('SIGINT');
        }
      },
    });
    expect(oneLine(watch.stderr).at(-1)).toBe(`temper: detached from job ${id} (running on the server); follow it again with: temper jobs watch ${id}`);
    expect((await expectExit(['jobs', 'show', id, '--field', 'status'], 0)).stdout.trim()).toBe('RUNNING');

    expect((await expectExit(['jobs', 'cancel', id], 0)).stdout.trim()).toBe(id);
    const cancelled = await expectExit(['jobs', 'watch', id], 8);
    expect(oneLine(cancelled.stderr).at(-1)).toBe(`temper: job ${id} was cancelled`);
    await expectExit(['gate', id, '--min-robust', '0'], 8);
    const listed = JSON.parse((await expectExit(['jobs', 'list', '--status', 'cancelled', '--json'], 0)).stdout) as { id: string }[];
    expect(listed.map((j) => j.id)).toContain(id);
  });
});

test('the bundle is what ran: one self-contained file with a node shebang', () => {
  expect(existsSync(CLI_BUNDLE)).toBe(true);
  expect(readFileSync(CLI_BUNDLE, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
});
