/**
 * npm run bench:methods [-- --quick] [--eps 0.3] [--train-size N] [--eval-size N] [--epochs E]
 *   [--steps K] [--batch-size B] [--methods natural,rrm,...] [--seed S] [--teacher-dir DIR]
 *   [--backend tensorflow|wasm|cpu] [--runs-dir DIR]
 *
 * Every hardening method at the standard MNIST threat model: the original MNIST with its standard
 * split (`mnist-full`, 60,000/10,000), eps 0.3, the robust teacher Temper ships
 * (server/teachers/mnist-full-eps0.3-pgd-at-cnn-wide, `npm run train:teachers`) for the
 * distillation methods, and every student of the teacher's architecture (cnn-wide) so that the
 * RRM/PGD-AT ratios compare one architecture and RRM needs no projection. Each row: clean accuracy,
 * PGD-20, APGD-CE, the standard ensemble's worst case on the first --eval-size test images (the same
 * for every row), training time and examples/s; the teacher's time listed separately. Writes
 * bench/results/methods.json and methods.md (rewritten after every method, so a cut run keeps what
 * it finished).
 *
 * Recipes: the authors' MNIST ones where they exist: PGD-AT (Madry) PGD-40 step 0.01; TRADES beta 6
 * (the paper's MNIST table) with its code's PGD-40 step 0.01; Fast AT FGSM from a random start,
 * step 1.25 eps, cyclic rate; every other attack-based method PGD-10 step 2.5 eps/10. Every other
 * setting is the method's default (printed and recorded per row).
 *
 * Budget of the full table: 3 epochs of the 60,000 per method (Free AT: 3 epochs of replays),
 * batch 128, 1,000 test images. 3 epochs is a CPU budget, not the papers' (Madry: ~83 epochs):
 * it is where the shipped eps-0.3 teacher (PGD-10, eps ramped over 2 epochs) first passed 90%
 * PGD-20 on held-out data. PGD-AT ramps eps over its first epoch (Temper's departure for short
 * runs, as its teachers do: from eps 0.3 at step 0 short runs sit at chance); no other method has
 * a ramp. The table runs for hours on a 2-core CPU (the PGD-40 rows, PGD-AT and TRADES, dominate
 * training; the standard ensemble on 1,000 robust points dominates evaluation, about half an hour
 * per robust row), so it is resumable: each method trains under --runs-dir/<method>/ with a
 * checkpoint every epoch and every 10 minutes within one (FileCheckpointStore, as the teachers),
 * and a finished row is kept in row.json there; the same command continues where a killed run
 * stopped, and a runs dir made with other choices is refused. Measured times per row are in
 * methods.json (with the load average at the end of each row).
 *
 * --quick (CI): the same code path at eps 0.3 on 512 training and 16 test images of the standard
 * split, one epoch, 3-step attacks, cnn students and a cnn teacher trained for one epoch in the run
 * (33 s with 16 test images on a 2-core machine at load ~5, one thread, 2026-12-03; 5.1 min with 32
 * on the wasm-era code at load 14-17: the evaluations dominate, hence 16). That teacher is not robust, so the distillation rows pass
 * forceTeacher (their teacher check is still measured and recorded): it checks that every method
 * runs end to end, not how robust anything is. Its results go to artifacts/bench-methods-quick/.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { loadClassifier } from '@temper/edge/io';
import { createZooClassifier, type Classifier } from '@temper/edge';
import { computeBackend, FileCheckpointStore, initComputeBackend, loadDataset, methodNames, runHardening, weakVsStrong, readModelDir } from '@temper/server';
import type { HardeningJobOutput, HardeningMethodName } from '@temper/server';

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    eps: { type: 'string' },
    'train-size': { type: 'string' },
    'eval-size': { type: 'string' },
    epochs: { type: 'string' },
    steps: { type: 'string' },
    'batch-size': { type: 'string' },
    methods: { type: 'string' },
    seed: { type: 'string', default: '0' },
    out: { type: 'string' },
    'teacher-dir': { type: 'string' },
    backend: { type: 'string' },
    'runs-dir': { type: 'string' },
  },
  strict: true,
});

const quick = args.quick;
const num = (v: string | undefined, fallback: number) => (v === undefined ? fallback : Number(v));
const SHIPPED_TEACHER = 'mnist-full-eps0.3-pgd-at-cnn-wide';
const choices = {
  dataset: 'mnist-full',
  eps: num(args.eps, 0.3),
  trainSize: num(args['train-size'], quick ? 512 : 60_000),
  evalSize: num(args['eval-size'], quick ? 16 : 1000),
  epochs: num(args.epochs, quick ? 1 : 3),
  // PGD-based methods without an MNIST recipe of their own (ARD, RSLAD, ALP): k steps of 2.5 eps / k.
  attackSteps: num(args.steps, quick ? 3 : 10),
  monitorSize: quick ? 16 : 256,
  batchSize: num(args['batch-size'], 128),
  seed: Number(args.seed),
  teacher: quick ? 'trained in the run: cnn, PGD-AT 1 epoch, PGD-3 (not robust; distillation rows forced)' : `shipped: server/teachers/${SHIPPED_TEACHER}`,
  teacherArchitecture: quick ? 'cnn' : 'cnn-wide',
  studentArchitecture: quick ? 'cnn' : 'cnn-wide',
  methods: (args.methods?.split(',') ?? methodNames()) as HardeningMethodName[],
  evaluation: 'standard ensemble + PGD-20 (checks.fgsmVsPgd); the quick teacher: APGD-CE and PGD-20 only',
};
/** The authors' MNIST recipes (the full table); --quick shortens every attack to choices.attackSteps. */
function recipeParams(method: HardeningMethodName): Record<string, unknown> {
  const k = choices.attackSteps;
  const generic = { steps: k, stepSize: (2.5 * choices.eps) / k };
  if (quick) return ['pgd-at', 'trades', 'ard', 'rslad', 'alp'].includes(method) ? generic : {};
  switch (method) {
    case 'pgd-at':
      // The ramp: see the budget above (a departure for short runs, as the teachers').
      return { steps: 40, stepSize: 0.01, epsWarmupEpochs: 1 };
    case 'trades':
      return { beta: 6, steps: 40, stepSize: 0.01 };
    case 'ard':
    case 'rslad':
    case 'alp':
      return generic;
    default:
      return {};
  }
}
const TEACHER_METHODS = new Set(['kd', 'ard', 'rslad', 'rrm', 'igam']);

interface Row {
  readonly method: string;
  readonly architecture: string;
  readonly epochs: number;
  readonly passes: number;
  readonly trainSeconds: number;
  readonly examplesPerSecond: number;
  readonly clean: number;
  readonly pgd20: number | null;
  readonly apgdCe: number | null;
  /** null for the teacher, which gets APGD-CE only (the ensemble on cnn-wide would take a sixth of the budget). */
  readonly ensemble: number | null;
  readonly pgd20MinusEnsemble: number | null;
  readonly evalSeconds: number;
  readonly flags: string[];
  readonly finalTerms: Record<string, number>;
  readonly params: Record<string, unknown>;
  /** 1-minute load average when the row finished: its times compare only with rows at similar load. */
  readonly loadAverage?: number;
}

function rowOf(method: string, architecture: string, out: HardeningJobOutput, evalSeconds: number, ensemble = true): Row {
  const r = out.report;
  const g = weakVsStrong(r)[0];
  const stage0 = r.results[0].attacks[0];
  return {
    method,
    architecture,
    epochs: out.config.epochs as number,
    passes: out.config.passes as number,
    trainSeconds: out.training.seconds,
    examplesPerSecond: out.training.examplesPerSecond,
    clean: r.cleanAccuracy,
    pgd20: g.pgd20 ?? null,
    apgdCe: stage0?.attack === 'apgd-ce' ? stage0.robustAccuracyAfter : null,
    ensemble: ensemble ? g.ensemble : null,
    pgd20MinusEnsemble: ensemble ? (g.gap ?? null) : null,
    evalSeconds,
    flags: r.flags.map((f) => f.code),
    finalTerms: out.training.finalTerms as Record<string, number>,
    params: out.config.params as Record<string, unknown>,
    loadAverage: os.loadavg()[0],
  };
}

const pct = (v: number | null) => (v === null ? 'n/a' : `${(100 * v).toFixed(1)}`);

function markdown(rows: Row[], teacher: Row | undefined, summary: Record<string, unknown>): string {
  const head = `| method | model | epochs | train s | ex/s | clean % | PGD-20 % | APGD-CE % | ensemble % | PGD-20 − ens. |\n|---|---|---|---|---|---|---|---|---|---|\n`;
  const line = (r: Row) =>
    `| ${r.method} | ${r.architecture} | ${r.epochs}${r.passes !== r.epochs ? ` (${r.passes} passes)` : ''} | ${r.trainSeconds.toFixed(0)} | ${r.examplesPerSecond.toFixed(0)} | ${pct(r.clean)} | ${pct(r.pgd20)} | ${pct(r.apgdCe)} | ${pct(r.ensemble)} | ${r.pgd20MinusEnsemble === null ? 'n/a' : (100 * r.pgd20MinusEnsemble).toFixed(1)} |`;
  return [
    `# Hardening methods on MNIST (eps ${choices.eps})`,
    '',
    `Teacher: ${choices.teacher} (time listed separately). Student: ${choices.studentArchitecture} with every method. ` +
      `${choices.trainSize} training images of ${choices.dataset}, ${choices.evalSize} held-out test images (the same for every row), ${choices.epochs} epochs per student ` +
      `(Free AT: epochs counted in replays), batch ${choices.batchSize}, ${quick ? `training attacks ${choices.attackSteps} steps` : `the authors' MNIST recipes (PGD-AT PGD-40 step 0.01, TRADES beta 6 PGD-40, Fast AT 1.25 eps; ARD/RSLAD/ALP PGD-${choices.attackSteps})`}. ` +
      `Evaluation: ${choices.evaluation}. Backend ${tf.getBackend()}, tfjs ${tf.version_core}, ${os.cpus().length} cores.`,
    '',
    head + [...(teacher ? [{ ...teacher, method: `teacher: ${teacher.method}` }] : []), ...rows].map(line).join('\n'),
    '',
    ...(rows.length < choices.methods.length
      ? [`**Partial: ${rows.length} of ${choices.methods.length} rows.** Not yet run: ${choices.methods.filter((m) => !rows.some((r) => r.method === m)).join(', ')} (the same command continues).`, '']
      : []),
    '## Ratios (reported, not tuned toward)',
    '',
    ...Object.entries(summary).map(([k, v]) => `- ${k}: ${typeof v === 'number' ? v.toFixed(3) : JSON.stringify(v)}`),
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const started = performance.now();
  // --backend forces one (and fails loudly if it cannot load); otherwise the server's own choice.
  const backend = args.backend ? await initComputeBackend({ forced: args.backend, log: (l) => console.log(l) }) : await computeBackend({ log: (l) => console.log(l) });
  console.log(`[bench:methods] choices: ${JSON.stringify(choices)}`);
  // The full table scores the first test images of the published test set; --quick a stratified few.
  const data = await loadDataset(choices.dataset, { trainSize: choices.trainSize, testSize: quick ? Math.max(choices.evalSize, choices.monitorSize) : 10_000, seed: 0 });
  const shape = [data.train.height, data.train.width, data.train.channels] as [number, number, number];
  const here = dirname(fileURLToPath(import.meta.url));
  // A quick run never overwrites the committed table.
  const outDir = args.out ?? (quick ? join(here, '..', 'artifacts', 'bench-methods-quick') : join(here, 'results'));
  mkdirSync(outDir, { recursive: true });
  // The full table resumes from its runs dir; --quick starts over every time (it takes minutes) unless given one.
  const runsDir = args['runs-dir'] ?? (quick ? undefined : join(here, '..', 'artifacts', 'bench-methods', `eps${choices.eps}`));
  if (runsDir) {
    mkdirSync(runsDir, { recursive: true });
    const { methods: _methods, ...fixed } = choices;
    const key = JSON.stringify(fixed);
    const keyFile = join(runsDir, 'choices.json');
    if (existsSync(keyFile) && readFileSync(keyFile, 'utf8') !== key) {
      throw new Error(`${runsDir} holds rows made with other choices (${readFileSync(keyFile, 'utf8')}); pass another --runs-dir or delete it`);
    }
    writeFileSync(keyFile, key);
    console.log(`[bench:methods] rows and checkpoints in ${runsDir} (the same command resumes)`);
  }
  const rows: Row[] = [];
  let teacherRow: Row | undefined;
  const evaluation = { eps: [choices.eps], attacks: 'standard' as const, sampleSize: choices.evalSize };
  const hooks = (tag: string) => ({
    log: (l: string) => console.log(l),
    onProgress: (p: { phase: string; epoch: number; epochs: number; terms: Record<string, number>; examplesPerSecond?: number; etaSeconds?: number; heldOutCleanAccuracy?: number; heldOutPgdAccuracy?: number }) => {
      if (p.phase === 'training' && p.heldOutCleanAccuracy !== undefined) {
        const terms = Object.entries(p.terms).map(([k, v]) => `${k} ${v.toFixed(4)}`).join(' ');
        console.log(`[${tag}] epoch ${p.epoch}/${p.epochs} ${terms}  ${p.examplesPerSecond?.toFixed(0)} ex/s  held-out clean ${pct(p.heldOutCleanAccuracy)}% PGD-10 ${pct(p.heldOutPgdAccuracy ?? null)}%`);
      }
    },
  });

  const summaryOf = () => {
    const by = (m: string) => rows.find((r) => r.method === m);
    const rrm = by('rrm');
    const pgdAt = by('pgd-at');
    const natural = by('natural');
    const s: Record<string, unknown> = {};
    if (rrm && pgdAt) {
      s['RRM robust accuracy / PGD-AT robust accuracy (ensemble)'] = pgdAt.ensemble && rrm.ensemble !== null ? rrm.ensemble / pgdAt.ensemble : null;
      s['RRM training time / PGD-AT training time'] = rrm.trainSeconds / pgdAt.trainSeconds;
    }
    if (rrm && natural) s['RRM training time / natural training time'] = rrm.trainSeconds / natural.trainSeconds;
    const kd = by('kd');
    if (kd) s['KD robust accuracy (ensemble)'] = kd.ensemble;
    for (const m of ['alp', 'clp', 'lsq']) {
      const r = by(m);
      if (r) s[`${m.toUpperCase()} PGD-20 minus ensemble`] = r.pgd20MinusEnsemble;
    }
    if (teacherRow) s['teacher training seconds (separate)'] = teacherRow.trainSeconds;
    return s;
  };
  const write = () => {
    const summary = summaryOf();
    const json = {
      benchmark: 'methods',
      choices,
      backend: backend.backend,
      backendReason: backend.reason,
      tfjsVersion: tf.version_core,
      node: process.version,
      cpus: os.cpus().length,
      wallSeconds: (performance.now() - started) / 1000,
      teacher: teacherRow,
      rows,
      summary,
    };
    writeFileSync(join(outDir, 'methods.json'), `${JSON.stringify(json, null, 2)}\n`);
    writeFileSync(join(outDir, 'methods.md'), markdown(rows, teacherRow, summary));
  };

  // The robust teacher: the shipped one (full table) or a small one trained here (--quick).
  let teacher: Classifier | undefined;
  if (choices.methods.some((m) => TEACHER_METHODS.has(m))) {
    if (!quick) {
      const teacherDir = args['teacher-dir'] ?? join(here, '..', 'server', 'teachers', SHIPPED_TEACHER);
      if (!existsSync(join(teacherDir, 'recipe.json'))) throw new Error(`No robust teacher in ${teacherDir}: run \`npm run train:teachers -- --only ${SHIPPED_TEACHER}\` first (or pass --teacher-dir)`);
      teacher = (await loadClassifier({ ...(await readModelDir(teacherDir)), expect: { inputShape: shape, numClasses: data.train.numClasses } })).classifier;
      const recipe = JSON.parse(readFileSync(join(teacherDir, 'recipe.json'), 'utf8')) as { budget: { trainingSeconds: number; examplesPerSecond: number }; result: { cleanAccuracy: number; robustAccuracy: number } };
      teacherRow = { method: 'pgd-at (shipped)', architecture: choices.teacherArchitecture, epochs: 0, passes: 0, trainSeconds: recipe.budget.trainingSeconds, examplesPerSecond: recipe.budget.examplesPerSecond, clean: recipe.result.cleanAccuracy, pgd20: null, apgdCe: null, ensemble: recipe.result.robustAccuracy, pgd20MinusEnsemble: null, evalSeconds: 0, flags: [], finalTerms: {}, params: {} };
    } else {
      const out = await runHardening(
        {
          method: 'pgd-at',
          student: createZooClassifier(choices.teacherArchitecture, { inputShape: shape, numClasses: data.train.numClasses, seed: choices.seed + 100 }),
          data,
          eps: choices.eps,
          epochs: 1,
          batchSize: choices.batchSize,
          seed: choices.seed + 100,
          params: { ...recipeParams('pgd-at'), lr: 1e-3, monitorSize: 0 },
          evaluation: { ...evaluation, attacks: [{ attack: 'apgd-ce', config: { iterations: 100, restarts: 1, rho: 0.75 } }] },
        },
        hooks('teacher'),
      );
      teacher = out.student;
      teacherRow = rowOf('pgd-at', choices.teacherArchitecture, out, 0, false);
    }
    console.log(`[bench:methods] teacher: ${JSON.stringify(teacherRow)}`);
    write();
  }

  for (const method of choices.methods) {
    const runDir = runsDir ? join(runsDir, method) : undefined;
    if (runDir && existsSync(join(runDir, 'row.json'))) {
      const kept = JSON.parse(readFileSync(join(runDir, 'row.json'), 'utf8')) as Row;
      rows.push(kept);
      console.log(`[bench:methods] ${method}: kept from ${runDir}/row.json (delete it to run the row again)`);
      write();
      continue;
    }
    if (runDir) mkdirSync(runDir, { recursive: true });
    const student = createZooClassifier(choices.studentArchitecture, { inputShape: shape, numClasses: data.train.numClasses, seed: choices.seed + 1 });
    const t0 = performance.now();
    // Every student gets the same optimizer (Adam 1e-3, constant), so that the rows differ by method only.
    const params: Record<string, unknown> = {
      optimizer: 'adam',
      lr: method === 'fast-at' ? 5e-3 : 1e-3,
      schedule: method === 'fast-at' ? 'cyclic' : 'constant',
      momentum: 0,
      weightDecay: 0,
      monitorSize: choices.monitorSize,
      ...recipeParams(method),
      // The quick teacher is not robust; the check still runs and is recorded in the row's params.
      ...(quick && TEACHER_METHODS.has(method) && method !== 'kd' ? { forceTeacher: true } : {}),
    };
    const epochs = choices.epochs;
    const out = await runHardening(
      { method, student, teacher: TEACHER_METHODS.has(method) ? teacher : undefined, data, eps: choices.eps, epochs, batchSize: choices.batchSize, seed: choices.seed + 1, params, evaluation },
      { ...hooks(method), ...(runDir ? { checkpoints: new FileCheckpointStore(runDir) } : {}) },
    );
    const row = rowOf(method, choices.studentArchitecture, out, (performance.now() - t0) / 1000 - out.training.seconds);
    rows.push(row);
    if (runDir) writeFileSync(join(runDir, 'row.json'), `${JSON.stringify(row, null, 2)}\n`);
    console.log(`[bench:methods] ${method}: train ${row.trainSeconds.toFixed(1)} s, ${row.examplesPerSecond.toFixed(0)} ex/s, clean ${pct(row.clean)}%, PGD-20 ${pct(row.pgd20)}%, APGD-CE ${pct(row.apgdCe)}%, ensemble ${pct(row.ensemble)}% (eval ${row.evalSeconds.toFixed(0)} s, ${((performance.now() - started) / 60000).toFixed(1)} min so far)`);
    write();
    out.student.model.dispose();
  }
  write();
  console.log(`\n${markdown(rows, teacherRow, summaryOf())}`);
  console.log(`[bench:methods] wrote ${join(outDir, 'methods.json')} and methods.md in ${((performance.now() - started) / 60000).toFixed(1)} min`);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
