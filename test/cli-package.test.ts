import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { tinyModelFiles } from '@temper/server/testing';
import { startServerProcess, type ServerProcess } from './temper-server-process.ts';

/**
 * The CLI outside Temper's checkout, as a CI engineer gets it: `npm pack -w @temper/clients` gives
 * a tarball that installs into an empty folder with no registry (an empty npm cache, --offline) and
 * runs against a real server; and the reusable action (action.yml): every shell step it runs, with
 * the environment it sets and a runner's files (GITHUB_OUTPUT, GITHUB_PATH, GITHUB_STEP_SUMMARY),
 * against a real server.
 */

const ROOT = join(import.meta.dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'temper-pack-'));
let server: ServerProcess;
let tarball = '';

/** The environment of a process outside this test run: no Temper, GitHub or npm-run variables, no network for npm. */
function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/^(TEMPER_|GITHUB_|RUNNER_|npm_|INIT_CWD$)/.test(k)) env[k] = v;
  return { ...env, npm_config_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false', ...extra };
}

function sh(cmd: string, args: string[], options: { cwd: string; env: Record<string, string> }): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { ...options, encoding: 'utf8', timeout: 240_000 });
}

function ok(r: SpawnSyncReturns<string>, what: string): string {
  if (r.status !== 0) throw new Error(`${what}: exit ${r.status}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  return r.stdout;
}

beforeAll(async () => {
  server = await startServerProcess(join(work, 'data'));
  mkdirSync(join(work, 'model'));
  const { modelJson, weightsBin } = await tinyModelFiles(3);
  writeFileSync(join(work, 'model', 'model.json'), modelJson);
  writeFileSync(join(work, 'model', 'weights.bin'), weightsBin);
  mkdirSync(join(work, 'packed'));
  ok(sh('npm', ['pack', '-w', '@temper/clients', '--pack-destination', join(work, 'packed')], { cwd: ROOT, env: cleanEnv() }), 'npm pack');
  const files = readdirSync(join(work, 'packed')).filter((f) => f.endsWith('.tgz'));
  expect(files).toEqual(['temper-clients-0.1.0.tgz']);
  tarball = join(work, 'packed', files[0]);
}, 300_000);

afterAll(async () => {
  await server?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe('the packed CLI', () => {
  test('installs into an empty folder from the tarball alone (empty cache, offline) and runs against a server', () => {
    const app = join(work, 'app');
    mkdirSync(app);
    ok(sh('npm', ['install', '--cache', join(work, 'empty-npm-cache'), '--no-package-lock', tarball], { cwd: app, env: cleanEnv() }), 'npm install <tarball>');
    // Nothing but the package itself: the CLI is one bundled file.
    expect(readdirSync(join(app, 'node_modules')).filter((d) => !d.startsWith('.'))).toEqual(['@temper']);
    const pkg = join(app, 'node_modules', '@temper', 'clients');
    expect(existsSync(join(pkg, 'dist', 'temper.mjs'))).toBe(true);
    expect(readdirSync(join(pkg, 'src', 'cli')).some((f) => f.endsWith('.test.ts'))).toBe(false);

    const temper = (args: string[]) => sh(join(app, 'node_modules', '.bin', 'temper'), args, { cwd: app, env: cleanEnv({ TEMPER_URL: server.base, TEMPER_TOKEN: server.token }) });
    const help = temper(['--help']);
    expect(help.status).toBe(0);
    for (const c of ['models', 'datasets', 'evaluations', 'edge', 'report', 'gate']) expect(help.stdout).toContain(c);
    expect(ok(temper(['whoami']), 'whoami')).toBe('owner\n');
    const model = ok(temper(['upload', 'model', join(work, 'model'), '--name', 'packed-upload']), 'upload').trim();
    const list = ok(temper(['models', 'list']), 'models list');
    expect(list).toMatch(/^ID\s+NAME\s+SOURCE/);
    expect(list).toMatch(/^[0-9a-f]{8}\s+packed-upload\s+UPLOADED\s/m);
    expect(ok(temper(['models', 'show', 'packed-upload', '--json']), 'models show')).toContain(model);
  });
});

/** A composite action's step as action.yml declares it. */
interface Step {
  name: string;
  id?: string;
  if?: string;
  shell: string;
  env?: Record<string, string>;
  run: string;
}

/**
 * The `${{ }}` expressions action.yml uses: inputs.*, steps.*.outputs.*, github.action_path,
 * runner.temp, always(), ==, !=, && and ||. Values are substituted as string literals.
 */
function evaluate(expr: string, ctx: { inputs: Record<string, string>; outputs: Record<string, Record<string, string>>; actionPath: string; runnerTemp: string }): string {
  const js = expr
    .replace(/\binputs\.([\w-]+)/g, (_, k: string) => JSON.stringify(ctx.inputs[k] ?? ''))
    .replace(/\bsteps\.([\w-]+)\.outputs\.([\w-]+)/g, (_, s: string, k: string) => JSON.stringify(ctx.outputs[s]?.[k] ?? ''))
    .replace(/\bgithub\.action_path\b/g, JSON.stringify(ctx.actionPath))
    .replace(/\brunner\.temp\b/g, JSON.stringify(ctx.runnerTemp))
    .replace(/\balways\(\)/g, 'true');
  return String(new Function(`return (${js});`)());
}

function interpolate(text: string, ctx: Parameters<typeof evaluate>[1]): string {
  return text.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_, e: string) => evaluate(e, ctx));
}

/** Parses `name=value` lines of a GITHUB_OUTPUT file. */
function readOutputs(file: string): Record<string, string> {
  if (!existsSync(file)) return {};
  return Object.fromEntries(readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
}

describe('the reusable action (action.yml)', () => {
  const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as { runs: { using: string; steps: Step[] }; inputs: Record<string, { default?: string }> };

  /** Runs the action's steps in order, as a runner would; stops at the first failing step not guarded by always(). */
  function runAction(inputs: Record<string, string>, dir: string) {
    mkdirSync(dir, { recursive: true });
    const defaults = Object.fromEntries(Object.entries(action.inputs).map(([k, v]) => [k, v.default ?? '']));
    const ctx = { inputs: { ...defaults, ...inputs }, outputs: {} as Record<string, Record<string, string>>, actionPath: ROOT, runnerTemp: join(dir, 'runner-temp') };
    mkdirSync(ctx.runnerTemp, { recursive: true });
    const summary = join(dir, 'summary.md');
    const pathFile = join(dir, 'path');
    const results: { name: string; status: number | null; stdout: string; stderr: string }[] = [];
    let failed = false;
    action.runs.steps.forEach((step, i) => {
      const condition = step.if ? interpolate(step.if, ctx) : null;
      const guarded = step.if?.includes('always()') ?? false;
      if ((failed && !guarded) || condition === 'false') return;
      expect(step.shell).toBe('bash');
      const output = join(dir, `output-${i}`);
      const extraPath = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').split('\n').filter(Boolean).reverse() : [];
      const env = cleanEnv({
        GITHUB_ACTIONS: 'true',
        GITHUB_OUTPUT: output,
        GITHUB_PATH: pathFile,
        GITHUB_STEP_SUMMARY: summary,
        RUNNER_TEMP: ctx.runnerTemp,
        GITHUB_ACTION_PATH: ROOT,
        PATH: [...extraPath, process.env.PATH ?? ''].join(':'),
        ...Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, interpolate(String(v), ctx)])),
      });
      const r = spawnSync('bash', ['-e', '-c', step.run], { cwd: dir, env, encoding: 'utf8', timeout: 240_000 });
      results.push({ name: step.name, status: r.status, stdout: r.stdout, stderr: r.stderr });
      if (step.id) ctx.outputs[step.id] = readOutputs(output);
      if (r.status !== 0) failed = true;
    });
    return { results, outputs: ctx.outputs, summary: existsSync(summary) ? readFileSync(summary, 'utf8') : '', path: existsSync(pathFile) ? readFileSync(pathFile, 'utf8') : '' };
  }

  test('is a composite action whose every input reaches the scripts as an environment variable', () => {
    expect(action.runs.using).toBe('composite');
    for (const step of action.runs.steps) expect(step.run).not.toMatch(/\$\{\{/);
  });

  test('installs the CLI from the checkout, uploads, evaluates, reports to the step summary and gates; a failing gate exits 9 with annotations', () => {
    const inputs = { url: server.base, token: server.token, model: join(work, 'model'), 'model-name': 'action-model', command: 'evaluate', dataset: 'mnist', eps: '8/255,0.1', attacks: 'fgsm', 'sample-size': '16', 'min-robust': '0', 'min-clean': '0', 'junit-dir': join(work, 'action', 'reports') };
    const run = runAction(inputs, join(work, 'action'));
    for (const r of run.results) if (r.status !== 0) throw new Error(`step "${r.name}" exited ${r.status}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
    expect(run.results.map((r) => r.name)).toEqual(action.runs.steps.map((s) => s.name));
    expect(run.path.trim()).toBe(join(work, 'action', 'runner-temp', 'temper-cli', 'node_modules', '.bin'));
    expect(run.outputs['upload']['model-id']).toMatch(/^[\w+/=]{20,}$/);
    expect(run.outputs['run']['job-id']).toMatch(/^[\w+/=]{20,}$/);
    expect(run.summary).toMatch(/^### Temper robustness report: action-model$/m);
    expect(run.summary).toMatch(/^\| 0\.03137 \(8\/255\) \| \*\*[\d.]+%\*\* \| [\d.]+% \|$/m);
    expect(run.summary).toMatch(/^### ✅ Temper gate passed: action-model$/m);
    expect(readFileSync(join(work, 'action', 'reports', 'gate.xml'), 'utf8')).toContain('failures="0"');

    // The same job gated above its numbers: the gate step fails with 9 and one annotation per threshold.
    const failing = runAction({ ...inputs, model: run.outputs['upload']['model-id'], 'min-robust': '1', 'min-clean': '1', cli: tarball }, join(work, 'action-failing'));
    const gate = failing.results.at(-1)!;
    expect(gate.name).toMatch(/^Gate/);
    expect(gate.status).toBe(9);
    expect(gate.stderr.split('\n').filter((l) => l.startsWith('::error title=Temper gate::'))).toHaveLength(3);
    expect(failing.summary).toMatch(/^### ❌ Temper gate failed: action-model$/m);
  });
});
