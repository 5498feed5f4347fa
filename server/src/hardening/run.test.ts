/**
 * runHardening as the job workers call it: progress events, per-epoch checkpoints, the final
 * evaluation with PGD-20 beside the ensemble, the recorded config with default sources, and the
 * errors users can cause (unknown method or setting, missing teacher, a model IGAM cannot
 * double-backprop, a checkpoint from another run, cancellation).
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DatasetSplit } from '@temper/edge';
import { ErrorCodes, logits, type Classifier, UNIT_PREPROCESSING } from '@temper/edge';
import { loadClassifier, saveClassifier, WEIGHTS_FILE_NAME } from '@temper/edge/io';
import { initTestBackend } from '../compute/test-backend.ts';
import { decodeCheckpoint } from '../training/checkpoint-payload.ts';
import { MemoryCheckpointStore } from './memory-checkpoint-store.ts';
import type { HardeningProgress } from './contract.ts';
import { runHardening, trainHardening } from './index.ts';
import { disposeStudents, sameWeights, tinyMlp, tinyMnist } from './test-helpers.ts';

let data: DatasetSplit;
let teacher: Classifier;

beforeAll(async () => {
  await initTestBackend();
  data = await tinyMnist();
  teacher = tinyMlp(99, 32);
});

const FAST_EVAL = { sampleSize: 24, attacks: [{ attack: 'apgd-ce', config: { iterations: 10 } }] } as const;

describe('runHardening', () => {
  it('streams progress, checkpoints every epoch, and evaluates with PGD-20 beside the ensemble', async () => {
    const events: HardeningProgress[] = [];
    const store = new MemoryCheckpointStore();
    const student = tinyMlp(1);
    const out = await runHardening(
      { method: 'lsq', student, data, eps: 0.1, epochs: 2, batchSize: 32, seed: 4, params: { monitorSize: 16, monitorPgdSteps: 3 }, evaluation: FAST_EVAL },
      { onProgress: (p) => events.push(p), checkpoints: store },
    );
    expect(events[0].phase).toBe('preparing');
    const training = events.filter((e) => e.phase === 'training');
    expect(training.length).toBeGreaterThanOrEqual(2);
    for (const e of training) {
      expect(Object.keys(e.terms).sort()).toEqual(['ce', 'logitNorm', 'loss']);
      expect(e.examplesPerSecond).toBeGreaterThan(0);
      expect(e.etaSeconds).toBeGreaterThanOrEqual(0);
      expect(e.learningRate).toBeCloseTo(1e-3, 10);
    }
    const epochEnds = training.filter((e) => e.heldOutCleanAccuracy !== undefined);
    expect(epochEnds.map((e) => e.epoch)).toEqual([1, 2]);
    for (const e of epochEnds) expect(e.heldOutPgdAccuracy).toBeLessThanOrEqual(e.heldOutCleanAccuracy!);
    expect(store.saves).toBe(2);
    const ck = decodeCheckpoint(store.latest!.payload);
    expect((ck.meta as { epoch: number }).epoch).toBe(2);
    expect(ck.groups.model.length).toBe(student.model.weights.length);
    expect(ck.groups.optimizer.length).toBe(1 + 2 * student.model.trainableWeights.length); // iterations, Adam's m and v

    expect(out.report.numExamples).toBe(24);
    expect(out.report.attacks.map((a) => a.attack)).toEqual(['apgd-ce']);
    expect(out.report.checks.fgsmVsPgd?.[0].pgdSettings).toMatchObject({ steps: 20, restarts: 1 });
    expect(out.log.some((l) => /PGD-20 [\d.]+%, ensemble [\d.]+% \(PGD-20 minus ensemble/.test(l))).toBe(true);
    expect(out.config).toMatchObject({ method: 'lsq', eps: 0.1, epochs: 2, batchSize: 32, seed: 4, params: { lambda: 0.05, noiseStd: 0.5 } });
    const sources = out.config.sources as Record<string, string>;
    expect(sources.lambda).toMatch(/not in docs\/methods\.md/);
    expect(sources.monitorSize).toBe('caller');
    expect(out.training.steps).toBe(8);
    // The report says how the model was made and where it was measured (issue 14, point 6).
    expect(out.report.hardening).toMatchObject({ method: 'lsq', eps: 0.1, seed: 4, params: { lambda: 0.05, noiseStd: 0.5 }, paramSources: { monitorSize: 'caller' }, budget: { epochs: 2, batchSize: 32, steps: 8 } });
    expect(out.report.environment).toMatchObject({ backend: expect.any(String), node: process.version });
    expect(out.report.dataset.split).toMatchObject({ split: 'test', firstExamples: 24 });
    expect(out.report.reproduce).toMatchObject({ autoAttackVersion: 'custom', seed: 4, examples: 24 });
    student.model.dispose();
  });

  it('RRM adds a projection layer when feature widths differ and says so in the log', async () => {
    const student = tinyMlp(2, 16);
    const out = await runHardening({ method: 'rrm', student, teacher, data, eps: 0.1, epochs: 1, batchSize: 64, seed: 1, params: { monitorSize: 0, forceTeacher: true }, evaluation: FAST_EVAL });
    expect(out.student.featureLayer).toBe('rrm_projection');
    expect(out.student.model.getLayer('rrm_projection').outputShape).toEqual([null, 32]);
    expect(out.log.some((l) => l.includes('student features (16) and teacher features (32) differ'))).toBe(true);
    // The hardened student saves and reloads (as the job workers store it) with its new feature layer.
    const saved = await saveClassifier(out.student);
    const { classifier: reloaded } = await loadClassifier({ modelJson: saved.modelJson, shards: { [WEIGHTS_FILE_NAME]: saved.weightsBin }, expect: { inputShape: [28, 28, 1], numClasses: 10 } });
    expect(reloaded.featureLayer).toBe('rrm_projection');
    const x = tf.tensor4d(data.test.images.slice(0, 4 * 784), [4, 28, 28, 1]);
    const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(logits(out.student, x), logits(reloaded, x)))).dataSync()[0]);
    expect(diff).toBe(0);
    x.dispose();
    reloaded.model.dispose();
    disposeStudents(student, out.student);
  });

  it('RRM with the teacher cache gives the same training as computing the teacher per batch', async () => {
    const a = await trainHardening({ method: 'rrm', student: tinyMlp(3, 32), teacher, data, eps: 0.1, epochs: 1, batchSize: 64, seed: 1, params: { monitorSize: 0, cacheTeacher: true, forceTeacher: true, noiseStd: 0 } });
    const b = await trainHardening({ method: 'rrm', student: tinyMlp(3, 32), teacher, data, eps: 0.1, epochs: 1, batchSize: 64, seed: 1, params: { monitorSize: 0, cacheTeacher: false, forceTeacher: true, noiseStd: 0 } });
    const wa = a.student.model.getWeights();
    const wb = b.student.model.getWeights();
    for (let i = 0; i < wa.length; i++) {
      const d = tf.tidy(() => tf.max(tf.abs(tf.sub(wa[i], wb[i]))).dataSync()[0]);
      expect(d).toBeLessThan(1e-5);
    }
    a.student.model.dispose();
    b.student.model.dispose();
  });

  it('rejects unknown methods and settings, bad values and a missing teacher with TRAINING_INVALID_CONFIG', async () => {
    const student = tinyMlp(1);
    const base = { student, data, eps: 0.1, epochs: 1, seed: 0 };
    await expect(runHardening({ ...base, method: 'mart' as never })).rejects.toMatchObject({ code: ErrorCodes.TRAINING_INVALID_CONFIG });
    await expect(runHardening({ ...base, method: 'trades', params: { betta: 6 } })).rejects.toMatchObject({ code: ErrorCodes.TRAINING_INVALID_CONFIG, message: expect.stringContaining('unknown setting "betta"') });
    await expect(runHardening({ ...base, method: 'trades', params: { steps: -1 } })).rejects.toMatchObject({ code: ErrorCodes.TRAINING_INVALID_CONFIG });
    await expect(runHardening({ ...base, method: 'rslad' })).rejects.toMatchObject({ code: ErrorCodes.TRAINING_INVALID_CONFIG, message: expect.stringContaining('needs a teacher') });
    await expect(runHardening({ ...base, method: 'natural', eps: 2 })).rejects.toMatchObject({ code: ErrorCodes.TRAINING_INVALID_CONFIG });
    student.model.dispose();
  });

  it('IGAM refuses, before training, a student whose ops have no second-order gradient, naming the op', async () => {
    for (const [layer, kernel, op] of [
      [tfl.layers.maxPooling2d({ poolSize: 2, name: 'pool' }), 'MaxPoolGrad', 'maxPool'],
      [tfl.layers.averagePooling2d({ poolSize: 2, name: 'pool' }), 'AvgPoolGrad', 'avgPool'],
    ] as const) {
      const input = tfl.input({ shape: [28, 28, 1] });
      let h = tfl.layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu' }).apply(input) as tfl.SymbolicTensor;
      h = layer.apply(h) as tfl.SymbolicTensor;
      h = tfl.layers.dense({ units: 8, activation: 'relu', name: 'features' }).apply(tfl.layers.flatten().apply(h)) as tfl.SymbolicTensor;
      const model = tfl.model({ inputs: input, outputs: tfl.layers.dense({ units: 10 }).apply(h) as tfl.SymbolicTensor });
      const student: Classifier = { model, preprocessing: UNIT_PREPROCESSING, inputShape: [28, 28, 1], numClasses: 10, featureLayer: 'features', outputsWereSoftmax: false };
      const events: HardeningProgress[] = [];
      const err = await runHardening({ method: 'igam', student, teacher, data, eps: 0.1, epochs: 1, seed: 0, params: { forceTeacher: true } }, { onProgress: (p) => events.push(p) }).catch((e) => e);
      expect(err).toMatchObject({ code: ErrorCodes.MODEL_NO_SECOND_ORDER_GRADIENT, details: { gradientKernel: kernel, op } });
      expect(err.message).toContain(`"${kernel}", the gradient of the ${op} op used by layer "pool"`);
      expect(events.some((e) => e.phase === 'training')).toBe(false);
      model.dispose();
    }
  });

  it('refuses a checkpoint from a run with other settings', async () => {
    const store = new MemoryCheckpointStore();
    const s1 = tinyMlp(1);
    await trainHardening({ method: 'clp', student: s1, data, eps: 0.1, epochs: 1, batchSize: 64, seed: 0, params: { monitorSize: 0 } }, { checkpoints: store });
    const s2 = tinyMlp(1);
    await expect(trainHardening({ method: 'clp', student: s2, data, eps: 0.1, epochs: 2, batchSize: 64, seed: 0, params: { monitorSize: 0, lambda: 1 } }, { checkpoints: store })).rejects.toMatchObject({
      code: ErrorCodes.TRAINING_INVALID_CONFIG,
      message: expect.stringContaining('belongs to another run'),
    });
    tf.dispose([]);
    s1.model.dispose();
    s2.model.dispose();
  });

  it('stops with ABORTED when cancelled mid-epoch, and a finished checkpoint resumes to the same weights', async () => {
    const controller = new AbortController();
    let steps = 0;
    const student = tinyMlp(1);
    const err = await trainHardening(
      { method: 'natural', student, data, eps: 0.1, epochs: 3, batchSize: 16, seed: 0, params: { monitorSize: 0 } },
      {
        signal: controller.signal,
        onProgress: (p) => {
          if (p.phase === 'training' && ++steps === 1) controller.abort();
        },
      },
    ).catch((e) => e);
    expect(err).toMatchObject({ code: ErrorCodes.ABORTED });
    // A run resumed from its own completed checkpoint does nothing more and keeps its weights.
    const store = new MemoryCheckpointStore();
    const done = await trainHardening({ method: 'natural', student: tinyMlp(2), data, eps: 0.1, epochs: 1, batchSize: 64, seed: 0, params: { monitorSize: 0 } }, { checkpoints: store });
    const again = await trainHardening({ method: 'natural', student: tinyMlp(2), data, eps: 0.1, epochs: 1, batchSize: 64, seed: 0, params: { monitorSize: 0 } }, { checkpoints: store });
    expect(again.training.steps).toBe(0);
    expect(sameWeights(done.student, again.student)).toBe(true);
    for (const c of [student, done.student, again.student]) c.model.dispose();
  });
});
