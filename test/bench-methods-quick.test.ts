/**
 * Issue 15, point 6: `npm run bench:methods -- --quick` in CI, the full table's code path on a small
 * budget (every method, eps 0.3, the standard split, the standard ensemble), and its resumption: a
 * second run over the same runs dir keeps the finished rows, and a runs dir of other choices is refused.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { methodNames } from '@temper/server';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TSX = createRequire(import.meta.url).resolve('tsx');
const BENCH = join(ROOT, 'bench', 'methods.ts');

function bench(args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', TSX, BENCH, ...args], { cwd: ROOT, env: { ...process.env, TEMPER_THREADS: '1' }, timeout: 900_000, maxBuffer: 64 << 20 }, (e, stdout, stderr) =>
      resolve({ code: e ? ((e as { code?: number }).code ?? 1) : 0, out: `${stdout}${stderr}` }),
    );
  });
}

interface Table {
  choices: { eps: number; dataset: string };
  backend: string;
  rows: { method: string; clean: number; ensemble: number | null; pgd20: number | null; trainSeconds: number; examplesPerSecond: number; params: Record<string, unknown> }[];
  teacher: { method: string };
}

describe('bench:methods --quick', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('runs every method end to end at eps 0.3 on the standard split and writes the table', async () => {
    const out = await mkdtemp(join(tmpdir(), 'temper-bench-methods-'));
    dirs.push(out);
    const run = await bench(['--quick', '--out', out]);
    expect(run.code, run.out.slice(-4000)).toBe(0);
    const table = JSON.parse(await readFile(join(out, 'methods.json'), 'utf8')) as Table;
    expect(table.choices).toMatchObject({ eps: 0.3, dataset: 'mnist-full' });
    expect(table.rows.map((r) => r.method)).toEqual(methodNames());
    for (const r of table.rows) {
      expect(r.clean, r.method).toBeGreaterThanOrEqual(0);
      expect(r.clean, r.method).toBeLessThanOrEqual(1);
      // Worst case over the ensemble and PGD-20 never exceeds either one, nor clean accuracy.
      expect(r.ensemble, r.method).not.toBeNull();
      expect(r.ensemble!, r.method).toBeLessThanOrEqual(r.clean);
      expect(r.trainSeconds, r.method).toBeGreaterThan(0);
      expect(r.examplesPerSecond, r.method).toBeGreaterThan(0);
    }
    // The quick teacher is not robust: the distillation rows ran forced, and say so.
    expect(table.rows.find((r) => r.method === 'rrm')!.params.forceTeacher).toBe(true);
    const md = await readFile(join(out, 'methods.md'), 'utf8');
    expect(md).toContain('# Hardening methods on MNIST (eps 0.3)');
    for (const m of methodNames()) expect(md).toContain(`| ${m} |`);
  }, 900_000);

  it('resumes from its runs dir: finished rows are kept, other choices are refused', async () => {
    const out = await mkdtemp(join(tmpdir(), 'temper-bench-methods-'));
    dirs.push(out);
    const runs = join(out, 'runs');
    const first = await bench(['--quick', '--methods', 'natural', '--out', out, '--runs-dir', runs]);
    expect(first.code, first.out.slice(-4000)).toBe(0);
    const row = JSON.parse(await readFile(join(runs, 'natural', 'row.json'), 'utf8')) as Table['rows'][number];
    const second = await bench(['--quick', '--methods', 'natural', '--out', out, '--runs-dir', runs]);
    expect(second.code, second.out.slice(-4000)).toBe(0);
    expect(second.out).toContain('natural: kept from');
    const table = JSON.parse(await readFile(join(out, 'methods.json'), 'utf8')) as Table;
    expect(table.rows).toEqual([row]);
    const other = await bench(['--quick', '--methods', 'natural', '--eps', '0.1', '--out', out, '--runs-dir', runs]);
    expect(other.code).not.toBe(0);
    expect(other.out).toContain('holds rows made with other choices');
  }, 900_000);
});
