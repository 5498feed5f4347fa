import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { tinyIdxDataset, tinyModelFiles, SERVER_MAIN } from '@temper/server/testing';

/**
 * The built `temper` CLI (clients/dist/temper.mjs, bundled here first) as a subprocess against a
 * real server (server/src/main.ts on a free port): upload, a zoo teacher, RRM hardening with
 * --wait, report (table, JSON, JUnit), gate passing and failing, evaluation, download, and every
 * documented exit code (3, 4, 5, 7, 8, 9, 10, 130) with its one-line message. No TTY here, so the
 * progress must come out as plain lines.
 */

const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const CLIENTS = join(import.meta.dirname, '..', 'clients');
// The `temper` bin @temper/clients declares, built by its own build script (as `npm run build` does).
const CLI_BUNDLE = join(CLIENTS, (JSON.parse(readFileSync(join(CLIENTS, 'package.json'), 'utf8')) as { bin: { temper: string } }).bin.temper);
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
  execFileSync(process.execPath, ['--import', TSX, join(CLIENTS, 'scripts', 'build.ts')], { stdio: ['ignore', 'ignore', 'inherit'] });
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
      // The 1-epoch zoo teacher is not robust: forced past the teacher check.
      ['harden', '--model', modelId, '--teacher', teacherJob, '--method', 'rrm', '--eps', '0.1', '--epochs', '1', '--batch-size', '64', '--param', 'forceTeacher=true', '--eval-attacks', 'fgsm', '--eval-eps', '0.1,0.2', '--eval-sample-size', '16', '--wait', '--progress-interval', '5'],
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
    // The hint names the CLI option, not the API's input field.
    expect(refused.stderr).toContain('--teacher');
    expect(refused.stderr).not.toContain('input.teacher');
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
    expect(standard.stderr).toContain('the evaluation ran fgsm, without apgd-ce, apgd-t, fab-t, square');
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

describe('browsing: models, datasets, evaluations, edge checks by short id or name', () => {
  const short = (id: string) => {
    const local = Buffer.from(id, 'base64').toString().split(':')[1];
    return local.replace(/-/g, '').slice(0, 8);
  };

  test('models list: short ids, names, sources; models show by short id: preprocessing and warnings', async () => {
    const byte = await expectExit(['upload', 'model', join(work, 'model'), '--name', 'byte-input', '--preprocessing', '{"kind":"byte"}'], 0);
    const byteId = byte.stdout.trim();
    const list = await expectExit(['models', 'list'], 0);
    const lines = oneLine(list.stdout);
    expect(lines[0]).toMatch(/^ID\s+NAME\s+SOURCE\s+ARCH\s+PARAMS\s+INPUT\s+CLASSES\s+WARNINGS\s+CREATED$/);
    expect(lines.every((l) => l.length <= 100)).toBe(true);
    // The untrained student is at chance on the built-in MNIST: its upload carries the near-chance warning.
    expect(list.stdout).toMatch(new RegExp(`^${short(modelId)}\\s+student\\s+UPLOADED\\s+-\\s+\\d+\\s+28x28x1\\s+10\\s+1\\s`, 'm'));
    expect(list.stdout).toMatch(/\s+student-rrm\s+HARDENED\s/);
    expect(list.stdout).not.toContain(modelId);

    const show = await expectExit(['models', 'show', short(byteId).slice(0, 6)], 0);
    expect(show.stdout).toContain(`model         byte-input (${byteId}, short ${short(byteId)})`);
    expect(show.stdout).toContain('preprocessing byte ([0,255] pixels)');
    expect(show.stdout).toMatch(/warnings {6}The given preprocessing overrides the one recorded in model\.json/);
    expect(show.stdout).toMatch(/FILE\s+BYTES\s+SHA256\n[-\s]+\nmodel\.json\s+\d+\s+[0-9a-f]{16}\nweights\.bin/);
    // By name; the hardened student shows the evaluation its hardening job ran.
    const hardened = await expectExit(['models', 'show', 'student-rrm'], 0);
    expect(hardened.stdout).toMatch(/EVALUATION\s+DATASET\s+EXAMPLES\s+CLEAN\s+ROBUST BY EPS/);
    expect(hardened.stdout).toMatch(/[\d.]+% @ 0\.1, [\d.]+% @ 0\.2/);

    // Delete by name: gone from the list; a second delete is an unknown id (5).
    const del = await expectExit(['models', 'delete', 'byte-input'], 0);
    expect(del.stdout.trim()).toBe(byteId);
    expect((await expectExit(['models', 'list', '--json'], 0)).stdout).not.toContain(byteId);
    await expectExit(['models', 'delete', 'byte-input'], 5);
  });

  test('datasets list and show (built-in mnist and the upload); evaluations list and show', async () => {
    const list = await expectExit(['datasets', 'list'], 0);
    expect(list.stdout).toMatch(/^[0-9a-f]{8}\s+mnist\s+BUILTIN\s+BUILTIN\s+\d+\s/m);
    expect(list.stdout).toMatch(new RegExp(`^${short(datasetId)}\\s+digits\\s+UPLOADED\\s+IDX\\s+200\\s`, 'm'));
    const show = await expectExit(['datasets', 'show', short(datasetId)], 0);
    expect(show.stdout).toContain('examples 200:');
    expect(show.stdout).toContain('input    28x28x1 ([height, width, channels]), 10 classes');

    const evals = await expectExit(['evaluations', 'list', '--model', 'student-rrm'], 0);
    const rows = oneLine(evals.stdout).slice(2);
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(rows.every((r) => /^[0-9a-f]{8}\s+student-rrm\s/.test(r))).toBe(true);
    const evalShort = rows[0].split(/\s+/)[0];
    const shown = await expectExit(['evaluations', 'show', evalShort], 0);
    expect(shown.stdout).toMatch(/^evaluation \S+$/m);
    expect(shown.stdout).toMatch(/eps\s+robust\s+after/);
  });

  test('edge create prints the id and the page URL; list, show, url --with-token', async () => {
    const c = await expectExit(['edge', 'create', '--model', hardenJob, '--surrogate', modelId, '--eps', '8/255', '--sample-size', '20', '--attack-count', '10', '--square-queries', '20'], 0);
    const checkId = c.stdout.trim();
    expect(c.stderr).toContain(`at eps 0.03137 (8/255): open ${base}/edge/?check=${encodeURIComponent(checkId)} on the device`);
    expect(c.stderr).not.toContain(token);
    const list = await expectExit(['edge', 'list'], 0);
    expect(list.stdout).toMatch(new RegExp(`^${short(checkId)}\\s+PENDING\\s+student-rrm\\s+0\\.03137 \\(8/255\\)\\s+0\\s`, 'm'));
    const show = await expectExit(['edge', 'show', short(checkId)], 0);
    expect(show.stdout).toContain('settings   eps 0.03137 (8/255), sampleSize 20, attackCount 10, squareQueries 20');
    expect(show.stdout).toContain('no device has reported yet');
    expect((await expectExit(['edge', 'url', short(checkId)], 0)).stdout).toBe(`${base}/edge/?check=${encodeURIComponent(checkId)}\n`);
    expect((await expectExit(['edge', 'url', short(checkId), '--with-token'], 0)).stdout).toBe(`${base}/edge/?check=${encodeURIComponent(checkId)}#token=${encodeURIComponent(token)}\n`);
  });

  test('jobs: list fits 100 columns with short ids; show, report and gate take a short id', async () => {
    const list = await expectExit(['jobs', 'list'], 0);
    expect(oneLine(list.stdout).every((l) => l.length <= 100)).toBe(true);
    expect(list.stdout).toMatch(new RegExp(`^${short(hardenJob)}\\s+HARDEN\\s+SUCCEEDED\\s`, 'm'));
    expect((await expectExit(['jobs', 'show', short(hardenJob), '--field', 'id'], 0)).stdout.trim()).toBe(hardenJob);
    expect((await expectExit(['report', short(hardenJob).slice(0, 5)], 0)).stdout).toContain(`job        ${hardenJob}`);
    // Too short to mean anything: no match (5).
    await expectExit(['report', short(hardenJob).slice(0, 3)], 5);
  });

  test('download: a folder holding another model is refused (2) unless --force; the same model again is fine', async () => {
    const dir = join(work, 'downloaded');
    const again = await expectExit(['download', hardenJob, dir], 0);
    expect(oneLine(again.stdout)).toHaveLength(2);
    const refused = await expectExit(['download', teacherJob, dir], 2);
    expect(oneLine(refused.stderr)).toEqual([`temper: ${dir} already holds another model (model.json, weights.bin differ from this one's); pass --force to replace it, or choose another directory`]);
    expect(JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')).modelTopology).toBeDefined();
    await expectExit(['download', teacherJob, dir, '--force'], 0);
    const teacherJson = (await expectExit(['jobs', 'show', teacherJob, '--field', 'resultModel.id'], 0)).stdout.trim();
    expect((await expectExit(['download', teacherJson, dir], 0)).stderr).toContain('sha256 checked');
  });

  test('report --github / gate under GITHUB_ACTIONS: a step summary table and ::error:: for every failed check', async () => {
    const summary = join(work, 'step-summary.md');
    const env = { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary };
    const r = await expectExit(['report', hardenJob], 0, { env });
    expect(r.stdout).toMatch(/eps\s+robust\s+after fgsm/);
    const md = readFileSync(summary, 'utf8');
    expect(md).toMatch(/^### Temper robustness report: student-rrm$/m);
    expect(md).toMatch(/^\| eps \| robust accuracy \| after fgsm \|$/m);
    expect(md).toMatch(/^\| 0\.1 \| \*\*[\d.]+%\*\* \| [\d.]+% \|$/m);

    const g = await expectExit(['gate', hardenJob, '--min-robust', '1', '--min-clean', '1', '--github'], 9, { env: { GITHUB_STEP_SUMMARY: summary } });
    const errors = oneLine(g.stderr).filter((l) => l.startsWith('::error'));
    expect(errors).toHaveLength(3);
    // Workflow commands escape % as %25 (GitHub shows a plain %).
    expect(errors[0]).toMatch(/^::error title=Temper gate::clean accuracy [\d.]+%25 is below --min-clean 100\.00%25$/);
    expect(oneLine(g.stderr).at(-1)).toMatch(/^temper: gate failed: 3 of 3 checks: clean accuracy .*; robust accuracy .* at eps 0\.1 .*; robust accuracy .* at eps 0\.2 /);
    expect(readFileSync(summary, 'utf8')).toMatch(/### ❌ Temper gate failed: student-rrm[\s\S]*\| check \| result \| detail \|[\s\S]*❌ fail/);
  });
});

describe('jobs that do not succeed', () => {
  test('a failing job: harden --wait exits 7 with its error code; gate and report on it exit 7 too', async () => {
    // A setting the method does not take is refused at submit (6); a value out of its range fails the job in the worker (7).
    const refused = await expectExit(['harden', '--model', modelId, '--dataset', 'digits', '--method', 'natural', '--eps', '0.1', '--epochs', '1', '--param', 'noSuchKnob=1', '--wait'], 6);
    expect(refused.stderr).toMatch(/TRAINING_INVALID_CONFIG: natural: unknown setting "noSuchKnob"/);
    const h = await expectExit(['harden', '--model', modelId, '--dataset', 'digits', '--method', 'natural', '--eps', '0.1', '--epochs', '1', '--param', 'lr=-1', '--wait'], 7);
    const id = h.stdout.trim();
    expect(oneLine(h.stderr).at(-1)).toMatch(new RegExp(`^temper: job ${id.replace(/[+/=]/g, '\\$&')} failed: TRAINING_INVALID_CONFIG: `));
    await expectExit(['gate', id, '--min-robust', '0'], 7);
    const report = await expectExit(['report', id], 7);
    expect(report.stdout).toContain('error      TRAINING_INVALID_CONFIG');
    expect(report.stdout).toMatch(/no robustness evaluation: the job failed with TRAINING_INVALID_CONFIG at \S+ after \d+s/);
    const summary = join(work, 'failed-summary.md');
    const gh = await expectExit(['report', id, '--github'], 7, { env: { GITHUB_STEP_SUMMARY: summary } });
    expect(gh.stderr).toMatch(/^::error title=Temper job::job \S+ failed: TRAINING_INVALID_CONFIG: /m);
    expect(readFileSync(summary, 'utf8')).toContain('**FAILED** (TRAINING_INVALID_CONFIG: ');
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
    expect((await expectExit(['report', id], 8)).stdout).toMatch(/no robustness evaluation: the job was cancelled at \S+$/m);
    const listed = JSON.parse((await expectExit(['jobs', 'list', '--status', 'cancelled', '--json'], 0)).stdout) as { id: string }[];
    expect(listed.map((j) => j.id)).toContain(id);
  });
});

test('the bundle is what ran: one self-contained file with a node shebang', () => {
  expect(existsSync(CLI_BUNDLE)).toBe(true);
  expect(readFileSync(CLI_BUNDLE, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
});
