/**
 * npm run bench:evaluation-fidelity [-- --quick] [--backend tensorflow|wasm|cpu] [--examples N]
 *   [--square-queries Q] [--restarts R] [--steps K] [--at-epochs E]
 *
 * Issue 14's "Done when": on three models of our own making (a softmax CNN saturated to logit
 * margins ~80 and saved with model.save; a Keras-style Sequential CNN with BatchNormalization and
 * Dropout; the zoo CNN adversarially trained with PGD-AT), Temper's stage-by-stage robust accuracy
 * (AutoAttack standard: APGD-CE -> APGD-T -> FAB-T -> Square-5000) at eps 0.1 on the first 200
 * images of the `mnist` test split, next to an independent stronger attack: PGD on the CW margin,
 * 10 random restarts x 200 steps of eps/20 (a point is robust only if every restart fails), and
 * the union of both (robust only if neither found an adversarial example).
 *
 * "Temper above the union" is what issue 14 asks to keep at or below 1 point: robustness Temper
 * reports that the stronger attack disproves. Writes bench/results/evaluation-fidelity.json and
 * .md. Set TEMPER_THREADS=1 on a shared machine; the full run is ~10-20 min of one core.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { attackDataset, pgd } from '@temper/edge/attacks';
import { createZooClassifier, subsetDataset, type Classifier, type ImageDataset } from '@temper/edge';
import { evaluateRobustness, STANDARD_ATTACKS } from '@temper/edge/evaluation';
import { computeBackend, initComputeBackend, loadDataset, trainHardening } from '@temper/server';
// The two reference-model builders are shared with test/attacks-reference.test.ts, so the bench measures
// exactly the models the test gates on.
import { batchNormCnn, saturatedSoftmaxCnn } from '@temper/test/fixtures/reference-models';

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    backend: { type: 'string' },
    examples: { type: 'string' },
    'square-queries': { type: 'string' },
    restarts: { type: 'string' },
    steps: { type: 'string' },
    'at-epochs': { type: 'string' },
    out: { type: 'string' },
  },
  strict: true,
});

const quick = args.quick;
const EPS = 0.1;
const choices = {
  dataset: 'mnist',
  // The same split as test/attacks-reference.test.ts (3000 train, 200 test, seed 1).
  trainSize: 3000,
  testSize: 200,
  splitSeed: 1,
  examples: args.examples ? Number(args.examples) : quick ? 40 : 200,
  eps: EPS,
  // AutoAttack's standard list; only Square's budget can be cut (--square-queries, --quick), and it is recorded.
  squareQueries: args['square-queries'] ? Number(args['square-queries']) : quick ? 500 : 5000,
  baseline: { attack: 'pgd', loss: 'cw' as const, restarts: args.restarts ? Number(args.restarts) : quick ? 2 : 10, steps: args.steps ? Number(args.steps) : quick ? 50 : 200, stepSize: EPS / 20, randomStart: true },
  // Adam 1e-3 as bench:methods trains (the recipe's 1e-4 leaves the CNN at ~35% clean after an epoch here).
  adversarialTraining: { method: 'pgd-at', architecture: 'cnn', epochs: args['at-epochs'] ? Number(args['at-epochs']) : quick ? 1 : 2, attackSteps: 10, stepSize: (2.5 * EPS) / 10, batchSize: 128, lr: 1e-3 },
  seed: 1,
};

interface Row {
  readonly model: string;
  readonly clean: number;
  readonly stages: { attack: string; robustAccuracyAfter: number; took: number; seconds: number }[];
  readonly temperFinal: number;
  readonly baseline: number;
  readonly union: number;
  /** Points Temper calls robust that PGD-CW fooled, as a fraction of the examples. */
  readonly temperAboveUnion: number;
  readonly baselineSeconds: number;
  readonly note: string;
}

async function measure(name: string, c: Classifier, test: ImageDataset, note: string): Promise<Row> {
  const started = performance.now();
  const ev = await evaluateRobustness(c, test, {
    eps: EPS,
    attacks: choices.squareQueries === 5000 ? 'standard' : STANDARD_ATTACKS.map((a) => (a.attack === 'square' ? { ...a, config: { ...a.config, queries: choices.squareQueries } } : a)),
    onProgress: (p) => {
      if (p.phase !== 'attack' || p.attackProgress) return;
      console.log(`[${name}] ${((performance.now() - started) / 1000).toFixed(0)} s: ${p.attack}`);
    },
    modelSha256: '0'.repeat(64),
    seed: choices.seed,
    checks: false,
    keepAdversarial: false,
  });
  const r = ev.report.results[0];
  console.log(`[${name}] ${((performance.now() - started) / 1000).toFixed(0)} s: PGD-CW baseline`);
  const t0 = performance.now();
  const { attack: _a, ...baselineConfig } = choices.baseline;
  const base = await attackDataset(pgd, c, test, { ...baselineConfig, eps: EPS }, { seed: `${choices.seed}:pgd-cw` });
  const baselineSeconds = (performance.now() - t0) / 1000;
  const n = test.count;
  let baseRobust = 0;
  let union = 0;
  let above = 0;
  for (let i = 0; i < n; i++) {
    if (base.robust[i]) baseRobust++;
    if (base.robust[i] && r.samples.robust[i]) union++;
    if (!base.robust[i] && r.samples.robust[i]) above++;
  }
  const row: Row = {
    model: name,
    clean: ev.report.cleanAccuracy,
    stages: r.attacks.map((s) => ({ attack: s.attack, robustAccuracyAfter: s.robustAccuracyAfter, took: s.took, seconds: s.elapsedMs / 1000 })),
    temperFinal: r.robustAccuracy,
    baseline: baseRobust / n,
    union: union / n,
    temperAboveUnion: above / n,
    baselineSeconds,
    note,
  };
  const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
  console.log(
    `${name}: clean ${pct(row.clean)} | ${row.stages.map((s) => `${s.attack} ${pct(s.robustAccuracyAfter)}`).join(' -> ')} | PGD-CW ${pct(row.baseline)} | union ${pct(row.union)} | Temper above union ${pct(row.temperAboveUnion)}`,
  );
  return row;
}

function markdown(rows: Row[], meta: Record<string, unknown>): string {
  const pct = (v: number) => (100 * v).toFixed(1);
  const stageNames = rows[0]?.stages.map((s) => s.attack) ?? [];
  const head = `| model | clean % | ${stageNames.map((s) => `after ${s} %`).join(' | ')} | PGD-CW ${choices.baseline.restarts}x${choices.baseline.steps} % | union % | Temper above union (points) |`;
  const sep = `|${'---|'.repeat(5 + stageNames.length)}`;
  const lines = rows.map(
    (r) => `| ${r.model} | ${pct(r.clean)} | ${r.stages.map((s) => pct(s.robustAccuracyAfter)).join(' | ')} | ${pct(r.baseline)} | ${pct(r.union)} | ${pct(r.temperAboveUnion)} |`,
  );
  return [
    `# Evaluation fidelity (issue 14): Temper stage by stage vs PGD-CW, eps ${EPS}, ${choices.examples} MNIST test images`,
    '',
    `Temper: AutoAttack standard (APGD-CE 100, APGD-T 9x100, FAB-T 9x100, Square ${choices.squareQueries} queries), seed ${choices.seed}. Baseline: PGD on the CW margin, ${choices.baseline.restarts} random restarts x ${choices.baseline.steps} steps of eps/20. ` +
      `Union: robust only if both fail. Backend ${meta.backend}, tfjs ${tf.version_core}, ${os.cpus().length} cores, wall ${(meta.wallSeconds as number).toFixed(0)} s.`,
    '',
    head,
    sep,
    ...lines,
    '',
    ...rows.map((r) => `- ${r.model}: ${r.note}`),
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const started = performance.now();
  const backend = args.backend ? await initComputeBackend({ forced: args.backend, log: (l) => console.log(l) }) : await computeBackend({ log: (l) => console.log(l) });
  console.log(`[bench:evaluation-fidelity] choices: ${JSON.stringify(choices)}`);
  const split = await loadDataset(choices.dataset, { trainSize: choices.trainSize, testSize: choices.testSize, seed: choices.splitSeed });
  const test = subsetDataset(split.test, Array.from({ length: Math.min(choices.examples, split.test.count) }, (_, i) => i));
  const rows: Row[] = [];
  const here = dirname(fileURLToPath(import.meta.url));
  const outDir = args.out ?? join(here, 'results');
  mkdirSync(outDir, { recursive: true });
  const write = () => {
    const meta = { backend: backend.backend, wallSeconds: (performance.now() - started) / 1000 };
    const json = { benchmark: 'evaluation-fidelity', choices, backend: backend.backend, backendReason: backend.reason, tfjsVersion: tf.version_core, node: process.version, cpus: os.cpus().length, threads: process.env.TEMPER_THREADS ?? null, wallSeconds: meta.wallSeconds, rows };
    const suffix = quick ? '-quick' : '';
    writeFileSync(join(outDir, `evaluation-fidelity${suffix}.json`), `${JSON.stringify(json, null, 2)}\n`);
    writeFileSync(join(outDir, `evaluation-fidelity${suffix}.md`), markdown(rows, meta));
  };

  {
    const { classifier } = await batchNormCnn(split.train);
    try {
      rows.push(await measure('Keras-style Sequential CNN with BatchNormalization + Dropout', classifier, test, 'Conv-BN-ReLU blocks, Dropout 0.3, 2 epochs of model.fit, BN momentum 0.9; attacked in inference mode.'));
    } finally {
      classifier.model.dispose();
    }
    write();
  }
  {
    const { classifier } = await saturatedSoftmaxCnn(split.train);
    try {
      rows.push(await measure('saturated softmax CNN (model.save, median logit margin ~80)', classifier, test, 'tfjs-layers Sequential, 3 epochs of model.fit, last Dense scaled so the median training logit margin is 80, saved with model.save and loaded through Temper (softmax removed).'));
    } finally {
      classifier.model.dispose();
    }
    write();
  }
  {
    const at = choices.adversarialTraining;
    const student = createZooClassifier(at.architecture, { inputShape: [28, 28, 1], numClasses: 10, seed: choices.seed + 1 });
    const t0 = performance.now();
    const trained = await trainHardening(
      { method: 'pgd-at', student, data: split, eps: EPS, epochs: at.epochs, batchSize: at.batchSize, seed: choices.seed, params: { steps: at.attackSteps, stepSize: at.stepSize, lr: at.lr } },
      { log: (l) => console.log(l) },
    );
    const trainSeconds = (performance.now() - t0) / 1000;
    try {
      rows.push(await measure(`zoo cnn, PGD-AT (${at.epochs} epochs)`, trained.student, test, `PGD-AT at eps ${EPS} (PGD-${at.attackSteps}, step 2.5 eps/${at.attackSteps}), ${at.epochs} epochs of ${choices.trainSize} images, batch ${at.batchSize}, ${trainSeconds.toFixed(0)} s of training.`));
    } finally {
      trained.student.model.dispose();
    }
    write();
  }
  console.log(`[bench:evaluation-fidelity] done in ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

main().catch((e) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exit(1);
});
