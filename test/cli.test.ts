/** `npm run train` and `npm run eval` end to end: real subprocesses, real MNIST, files on disk. */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadClassifier } from '@temper/edge/io';
import { datasetAccuracy } from '@temper/edge';
import { initTestBackend, loadDataset, readModelDir } from '@temper/server';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..');
let dir: string;

function cli(script: 'train' | 'eval', args: string[], env: Record<string, string> = {}) {
  return run(process.execPath, ['--import', 'tsx', `server/src/cli/${script}.ts`, ...args], { cwd: ROOT, env: { ...process.env, TEMPER_BACKEND: 'wasm', ...env }, timeout: 300_000 });
}
const train = (args: string[]) => cli('train', args);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'temper-train-'));
  await initTestBackend();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('npm run train', () => {
  it('trains a zoo CNN with progress output, saves it, and the saved model scores what it reported', async () => {
    const out = join(dir, 'cnn');
    const { stdout } = await train(['--model', 'cnn', '--dataset', 'mnist', '--epochs', '1', '--train-size', '1500', '--test-size', '300', '--seed', '4', '--progress-every', '5', '--out', out]);
    expect(stdout).toMatch(/compute backend: wasm/);
    expect(stdout).toMatch(/epoch 1\/1 step 5\/24 .*loss [\d.]+ .*ex\/s .*eta/);
    expect(stdout).toMatch(/held-out acc/);
    const record = JSON.parse(await readFile(join(out, 'training.json'), 'utf8'));
    expect(record).toMatchObject({ method: 'natural', architecture: 'cnn', dataset: 'mnist', seed: 4, epochs: 1, backend: 'wasm', trainSize: 1500, testSize: 300 });
    expect(record.tfjsVersion).toMatch(/^4\./);
    expect(record.result.testAccuracy).toBeGreaterThan(0.6);

    const files = await readModelDir(out);
    expect(Object.keys(files.shards)).toEqual(['weights.bin']);
    const { classifier, info } = await loadClassifier({ ...files, expect: { inputShape: [28, 28, 1], numClasses: 10 } });
    expect(info.featureLayer).toBe('features');
    const data = await loadDataset('mnist', { trainSize: 1500, testSize: 300 });
    expect(await datasetAccuracy(classifier, data.test)).toBeCloseTo(record.result.testAccuracy, 10);
    classifier.model.dispose();
  });

  it('fails with a clear message and a non-zero exit for bad arguments', async () => {
    await expect(train(['--model', 'vgg', '--epochs', '1', '--out', join(dir, 'x')])).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('ZOO_UNKNOWN_ARCHITECTURE') });
    await expect(train(['--model', 'cnn', '--epochs', '0'])).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('--epochs must be a positive integer') });
    await expect(train(['--model', 'cnn', '--epochs', '1', '--dataset', 'imagenet'])).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('DATASET_UNKNOWN') });
  });

  it('npm run eval prints the attack table and writes a report for the trained model', async () => {
    const model = join(dir, 'cnn');
    const out = join(dir, 'report.json');
    const { stdout } = await cli('eval', ['--model', model, '--dataset', 'mnist', '--eps', '0.05,0.2', '--attacks', 'fgsm,pgd', '--n', '40', '--seed', '2', '--out', out]);
    expect(stdout).toMatch(/clean accuracy [\d.]+% on 40 examples \(seed 2, wasm/);
    expect(stdout).toMatch(/eps\s+after fgsm\s+after pgd\s+robust \(worst case\)/);
    const report = JSON.parse(await readFile(out, 'utf8'));
    expect(report.numExamples).toBe(40);
    expect(report.seed).toBe(2);
    expect(report.epsCurve.map((p: { eps: number }) => p.eps)).toEqual([0.05, 0.2]);
    expect(report.attacks.map((a: { attack: string }) => a.attack)).toEqual(['fgsm', 'pgd']);
    // Worst case per sample can only fall as eps grows, and never exceeds clean accuracy.
    const [small, large] = report.epsCurve.map((p: { robustAccuracy: number }) => p.robustAccuracy);
    expect(large).toBeLessThanOrEqual(small);
    expect(small).toBeLessThanOrEqual(report.cleanAccuracy);
    expect(report.model.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('relative paths mean the directory npm was run from (INIT_CWD), not the repository root npm runs the script in', async () => {
    // As `cd $dir && npm run eval -- --model cnn --out rel-report.json` would: cwd is the root, INIT_CWD the user's directory.
    await cli('eval', ['--model', 'cnn', '--dataset', 'mnist', '--eps', '0.1', '--attacks', 'fgsm', '--n', '5', '--out', 'rel-report.json'], { INIT_CWD: dir });
    expect(JSON.parse(await readFile(join(dir, 'rel-report.json'), 'utf8')).numExamples).toBe(5);
    await expect(readFile(join(ROOT, 'rel-report.json'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('npm run eval names the problem for a bad model directory or attack', async () => {
    await expect(cli('eval', ['--model', join(dir, 'missing')])).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('does not exist') });
    await expect(cli('eval', ['--model', join(dir, 'cnn'), '--attacks', 'deepfool', '--n', '5'])).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('ATTACK_UNKNOWN') });
    await expect(cli('eval', ['--model', join(dir, 'cnn'), '--eps', '0.1,2'])).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('--eps must be') });
  });
});
