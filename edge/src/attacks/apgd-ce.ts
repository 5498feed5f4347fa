import * as tf from '@tensorflow/tfjs-core';
import { plainSettings } from './config.ts';
import { apgdRestartLoop, apgdSingleRun, cleanLogits, resolveApgdCommon, type ApgdCommonConfig } from './apgd-core.ts';
import { logCrossEntropyLoss } from './losses.ts';
import { argMaxRows, classifierObjective } from './tensors.ts';
import type { AttackDefinition } from './types.ts';

/**
 * APGD on the cross-entropy loss: AutoAttack's first attack ('apgd-ce'; standard: 100 iterations, 1 restart).
 * Departure: it ascends log(CE) (losses.ts, logCrossEntropyLoss). APGD-Linf uses the loss only through
 * sign(grad) and loss comparisons, which the log leaves unchanged, so the iterates are the reference's in
 * exact arithmetic; in float32 the reference's CE is exactly 0, with a zero gradient, on confident
 * (saturated) models, and its APGD-CE then never moves from the random start.
 */
export type ApgdCeConfig = ApgdCommonConfig;

export const apgdCe: AttackDefinition<ApgdCeConfig> = {
  name: 'apgd-ce',
  kind: 'white-box',
  defaults: { iterations: 100, restarts: 1, rho: 0.75, eot: 1 },
  resolve(config) {
    return resolveApgdCommon('apgd-ce', config, this.defaults, []);
  },
  describe(config) {
    const { eps: _eps, ...rest } = config;
    return plainSettings({ ...rest, loss: 'ce' });
  },
  async run(classifier, x, y, config, ctx) {
    return runUntargetedApgd(classifier, x, y, config, ctx, (ys) => (z) => logCrossEntropyLoss(z, ys));
  },
};

/** perturb() of APGDAttack (untargeted): restarts over the samples still robust. */
export async function runUntargetedApgd(
  classifier: Parameters<AttackDefinition['run']>[0],
  x: tf.Tensor4D,
  y: tf.Tensor1D,
  config: ApgdCommonConfig,
  ctx: Parameters<AttackDefinition['run']>[4],
  lossFor: (ys: tf.Tensor1D) => (z: tf.Tensor2D) => tf.Tensor1D,
): Promise<{ xAdv: tf.Tensor4D; steps: Int32Array }> {
  const n = x.shape[0];
  const labels = await y.data();
  const pred = argMaxRows(await cleanLogits(classifier, x), n, classifier.numClasses);
  const robust = Uint8Array.from(pred, (p, i) => (p === labels[i] ? 1 : 0));
  const advData = (await x.data()).slice() as Float32Array;
  const steps = new Int32Array(n).fill(-1);
  await apgdRestartLoop(
    x,
    y,
    robust,
    config.restarts,
    (r, active, xs, ys) =>
      apgdSingleRun(
        classifierObjective(classifier, lossFor(ys)),
        xs,
        {
          eps: config.eps,
          iterations: config.iterations,
          rho: config.rho,
          eot: config.eot,
          labels: Int32Array.from(active, (i) => labels[i]),
          numClasses: classifier.numClasses,
          phase: config.restarts > 1 ? `restart ${r + 1}/${config.restarts}` : undefined,
        },
        ctx,
      ),
    config.iterations,
    advData,
    steps,
  );
  return { xAdv: tf.tensor4d(advData, x.shape as [number, number, number, number]), steps };
}
