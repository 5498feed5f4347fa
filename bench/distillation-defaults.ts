/**
 * npm run bench:distillation [-- --rows rrm-wide,igam,...] [--out DIR]
 *
 * Issue 15's small protocol for RRM's and IGAM's defaults: MNIST subset, 3,000 training images,
 * eps 0.1, robust accuracy = APGD-CE (100 iterations) on 300 test images. One cnn-wide PGD-AT
 * teacher (3 epochs, PGD-10 step 2.5 eps/10) is trained first and doubles as the PGD-AT student
 * of the same architecture (the ratios' reference: robust accuracy and training time). Each row
 * runs with the methods' current defaults unless its params say otherwise. Appends one JSON line
 * per finished row to bench/results/distillation-defaults.jsonl, so a cut run keeps what it did.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createZooClassifier, type Classifier } from '@temper/edge';
import { loadClassifier, saveClassifier } from '@temper/edge/io';
import { computeBackend, loadDataset, readModelDir, runHardening, writeModelDir, type HardeningMethodName } from '@temper/server';

const { values: args } = parseArgs({ options: { rows: { type: 'string' }, out: { type: 'string' } }, strict: true });
const EPS = 0.1;
const EVAL = { eps: [EPS], attacks: [{ attack: 'apgd-ce', config: { iterations: 100, restarts: 1, rho: 0.75 } }], sampleSize: 300 } as const;
const ROWS: { id: string; method: HardeningMethodName; student: string; featureWidth?: number; epochs: number; params: Record<string, unknown> }[] = [
  { id: 'rrm-wide', method: 'rrm', student: 'cnn-wide', epochs: 6, params: {} },
  { id: 'rrm-wide-no-noise', method: 'rrm', student: 'cnn-wide', epochs: 6, params: { noiseStd: 0 } },
  { id: 'pgd-at-cnn', method: 'pgd-at', student: 'cnn', epochs: 3, params: { steps: 10, stepSize: 0.025, lr: 1e-3 } },
  { id: 'igam', method: 'igam', student: 'cnn', epochs: 3, params: {} },
  { id: 'igam-6-epochs', method: 'igam', student: 'cnn', epochs: 6, params: {} },
  { id: 'igam-beta2', method: 'igam', student: 'cnn', epochs: 3, params: { beta: 2 } },
  { id: 'igam-beta0', method: 'igam', student: 'cnn', epochs: 3, params: { beta: 0 } },
  { id: 'igam-beta0.1', method: 'igam', student: 'cnn', epochs: 3, params: { beta: 0.1 } },
  { id: 'igam-beta0.5', method: 'igam', student: 'cnn', epochs: 3, params: { beta: 0.5 } },
  { id: 'igam-beta0-gamma0.03', method: 'igam', student: 'cnn', epochs: 3, params: { beta: 0, gamma: 0.03 } },
  { id: 'igam-beta0-gamma0.3', method: 'igam', student: 'cnn', epochs: 3, params: { beta: 0, gamma: 0.3 } },
  { id: 'igam-old-defaults', method: 'igam', student: 'cnn', epochs: 3, params: { gamma: 10 / 255 ** 2, betaStartFraction: 0, inputPerturbation: false, discOptimizer: 'adam' } },
  { id: 'rrm-cnn-256', method: 'rrm', student: 'cnn', featureWidth: 256, epochs: 6, params: {} },
];

async function main(): Promise<void> {
  await computeBackend({ log: (l) => console.log(l) });
  const here = dirname(fileURLToPath(import.meta.url));
  const outDir = args.out ?? join(here, 'results');
  mkdirSync(outDir, { recursive: true });
  const outFile = join(outDir, 'distillation-defaults.jsonl');
  const data = await loadDataset('mnist', { trainSize: 3000, testSize: 300, seed: 0 });
  const shape = [28, 28, 1] as [number, number, number];
  const record = (line: Record<string, unknown>) => {
    appendFileSync(outFile, `${JSON.stringify({ at: new Date().toISOString(), loadavg: os.loadavg()[0], ...line })}\n`);
    console.log(`[bench:distillation] ${JSON.stringify(line)}`);
  };
  const summarize = (out: Awaited<ReturnType<typeof runHardening>>) => ({
    clean: out.report.cleanAccuracy,
    robust: out.report.results[0].robustAccuracy,
    trainSeconds: out.training.seconds,
    examplesPerSecond: out.training.examplesPerSecond,
    teacherCheck: out.config.teacherCheck,
  });
  const log = (l: string) => console.log(l);

  const teacherDir = join(here, '..', 'artifacts', 'bench-distillation', 'teacher-cnn-wide-pgd-at-eps0.1');
  let teacher: Classifier;
  if (existsSync(join(teacherDir, 'row.json'))) {
    teacher = (await loadClassifier({ ...(await readModelDir(teacherDir)), purpose: 'evaluate' })).classifier;
    console.log(`[bench:distillation] reusing the teacher in ${teacherDir}: ${readFileSync(join(teacherDir, 'row.json'), 'utf8')}`);
  } else {
    const out = await runHardening(
      { method: 'pgd-at', student: createZooClassifier('cnn-wide', { inputShape: shape, numClasses: 10, seed: 100 }), data, eps: EPS, epochs: 3, batchSize: 128, seed: 100, params: { steps: 10, stepSize: 0.025, lr: 1e-3, monitorSize: 0 }, evaluation: EVAL },
      { log },
    );
    teacher = out.student;
    const row = { id: 'pgd-at-wide (teacher)', method: 'pgd-at', student: 'cnn-wide', epochs: 3, ...summarize(out) };
    await writeModelDir(teacherDir, await saveClassifier(teacher), { 'row.json': JSON.stringify(row) });
    record(row);
  }
  const only = args.rows?.split(',');
  for (const r of ROWS.filter((x) => !only || only.includes(x.id))) {
    const student = createZooClassifier(r.student, { inputShape: shape, numClasses: 10, seed: 1, featureWidth: r.featureWidth });
    const out = await runHardening({ method: r.method, student, teacher, data, eps: EPS, epochs: r.epochs, batchSize: 128, seed: 1, params: { monitorSize: 0, ...r.params }, evaluation: EVAL }, { log });
    record({ id: r.id, method: r.method, student: r.student, featureWidth: r.featureWidth, epochs: r.epochs, params: r.params, resolved: out.config.params, ...summarize(out) });
    out.student.model.dispose();
  }
  writeFileSync(join(outDir, '.distillation-defaults.done'), new Date().toISOString());
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
