/**
 * npm run bench:distillation-eps0.3 -- --id ID --method rrm|igam|pgd-at|... [--student cnn-wide]
 *   [--epochs 1] [--train 60000] [--noise S] [--lambda L] [--params JSON] [--eval-size 500] [--ensemble]
 *
 * Issue 15, point 5 at the standard threat model: one row per call, on mnist-full at eps 0.3, the
 * distillation methods from the shipped eps-0.3 teacher (server/teachers/mnist-full-eps0.3-pgd-at-cnn-wide),
 * seed 1, Adam 1e-3 (the methods' MNIST defaults), robust = APGD-CE (100 iterations) on the first
 * --eval-size test images, or the standard ensemble with --ensemble. Appends the row to
 * bench/results/distillation-eps0.3.jsonl (load average included: times compare only at similar load).
 */
import { appendFileSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { createZooClassifier } from '@temper/edge';
import { loadClassifier } from '@temper/edge/io';
import { computeBackend, loadDataset, readModelDir, runHardening } from '@temper/server';

const { values: a } = parseArgs({ options: { id: { type: 'string' }, epochs: { type: 'string', default: '1' }, train: { type: 'string', default: '60000' }, noise: { type: 'string' }, lambda: { type: 'string' }, 'eval-size': { type: 'string', default: '500' }, ensemble: { type: 'boolean', default: false }, student: { type: 'string', default: 'cnn-wide' }, method: { type: 'string', default: 'rrm' }, params: { type: 'string', default: '{}' } }, strict: true });
await computeBackend({ log: console.log });
const data = await loadDataset('mnist-full', { trainSize: Number(a.train), testSize: 10_000, seed: 0 });
const teacher = (await loadClassifier({ ...(await readModelDir('server/teachers/mnist-full-eps0.3-pgd-at-cnn-wide')), purpose: 'evaluate' })).classifier;
const student = createZooClassifier(a.student!, { inputShape: [28, 28, 1], numClasses: 10, seed: 1 });
const params: Record<string, unknown> = { monitorSize: 500, ...JSON.parse(a.params!) };
if (a.noise !== undefined) params.noiseStd = Number(a.noise);
if (a.lambda !== undefined) params.lambda = Number(a.lambda);
const evaluation = a.ensemble
  ? { eps: [0.3], attacks: 'standard' as const, sampleSize: Number(a['eval-size']) }
  : { eps: [0.3], attacks: [{ attack: 'apgd-ce', config: { iterations: 100, restarts: 1, rho: 0.75 } }], sampleSize: Number(a['eval-size']) };
const t0 = performance.now();
const needsTeacher = ['kd', 'ard', 'rslad', 'rrm', 'igam'].includes(a.method!);
const out = await runHardening({ method: a.method as 'rrm', student, teacher: needsTeacher ? teacher : undefined, data, eps: 0.3, epochs: Number(a.epochs), batchSize: 128, seed: 1, params, evaluation }, {
  log: console.log,
  onProgress: (p: { phase: string; epoch: number; heldOutCleanAccuracy?: number; heldOutPgdAccuracy?: number; terms: Record<string, number> }) => {
    if (p.heldOutCleanAccuracy !== undefined) console.log(`epoch ${p.epoch} clean ${p.heldOutCleanAccuracy} pgd ${p.heldOutPgdAccuracy} ${JSON.stringify(p.terms)}`);
  },
});
const row = { at: new Date().toISOString(), id: a.id, method: a.method, student: a.student, epochs: Number(a.epochs), train: Number(a.train), params, clean: out.report.cleanAccuracy, robust: out.report.results[0].robustAccuracy, perAttack: out.report.results[0].attacks?.map((s: { attack: string; robustAccuracyAfter: number }) => [s.attack, s.robustAccuracyAfter]), trainSeconds: out.training.seconds, examplesPerSecond: out.training.examplesPerSecond, evalSeconds: (performance.now() - t0) / 1000 - out.training.seconds, ensemble: a.ensemble, evalSize: Number(a['eval-size']), loadavg: os.loadavg()[0] };
appendFileSync('bench/results/distillation-eps0.3.jsonl', JSON.stringify(row) + '\n');
console.log(JSON.stringify(row));
