import * as tf from '@tensorflow/tfjs-core';
import { checkInt, plainSettings } from './config.ts';
import { apgdRestartLoop, apgdSingleRun, cleanLogits, requireClasses, resolveApgdCommon, type ApgdCommonConfig } from './apgd-core.ts';
import { dlrTargetedLoss } from './losses.ts';
import { argMaxRows, classifierObjective } from './tensors.ts';
import type { AttackDefinition } from './types.ts';

/**
 * APGD-T: APGD on the targeted DLR loss, run once per target class (APGDAttack_targeted.perturb).
 * For target_class = 2 .. targetClasses + 1 the target of each still-robust sample is the class with
 * the target_class-th largest clean logit; each round attacks only the samples still robust.
 * Standard AutoAttack: 9 targets, 100 iterations, 1 restart. Needs at least 4 classes.
 *
 * Departure: with fewer than targetClasses + 1 classes AutoAttack only warns (and then indexes out of
 * range); here targetClasses is capped at numClasses - 1, and the report shows the capped value.
 */
export interface ApgdTConfig extends ApgdCommonConfig {
  readonly targetClasses: number;
}

export const apgdT: AttackDefinition<ApgdTConfig> = {
  name: 'apgd-t',
  kind: 'white-box',
  defaults: { iterations: 100, restarts: 1, rho: 0.75, eot: 1, targetClasses: 9 },
  resolve(config, classifier) {
    requireClasses('apgd-t', classifier, 4, 'targeted DLR divides by z_p1 - (z_p3 + z_p4) / 2');
    const common = resolveApgdCommon('apgd-t', config, this.defaults, ['targetClasses']);
    let targetClasses = checkInt('apgd-t', 'targetClasses', config.targetClasses ?? this.defaults.targetClasses, 1, 100_000);
    if (classifier) targetClasses = Math.min(targetClasses, classifier.numClasses - 1);
    return { ...common, targetClasses };
  },
  describe(config) {
    const { eps: _eps, ...rest } = config;
    return plainSettings({ ...rest, loss: 'dlr-targeted' });
  },
  async run(classifier, x, y, config, ctx) {
    const n = x.shape[0];
    const C = classifier.numClasses;
    const targetClasses = Math.min(config.targetClasses, C - 1);
    const labels = await y.data();
    const zClean = await cleanLogits(classifier, x);
    const pred = argMaxRows(zClean, n, C);
    const robust = Uint8Array.from(pred, (p, i) => (p === labels[i] ? 1 : 0));
    // Classes by clean logit, descending, per sample (output.sort(dim=1)[1][:, -target_class]).
    const ranked: Int32Array[] = [];
    for (let i = 0; i < n; i++) {
      const row = Array.from({ length: C }, (_, k) => k);
      // Stable sort: ties keep class order, close to torch.sort's behaviour on distinct logits.
      row.sort((a, b) => zClean[i * C + b] - zClean[i * C + a]);
      ranked.push(Int32Array.from(row));
    }
    const advData = (await x.data()).slice() as Float32Array;
    const steps = new Int32Array(n).fill(-1);
    const rounds = targetClasses * config.restarts;
    await apgdRestartLoop(
      x,
      y,
      robust,
      rounds,
      async (r, active, xs, ys) => {
        const targetClass = 2 + Math.floor(r / config.restarts);
        const target = tf.tensor1d(Int32Array.from(active, (i) => ranked[i][targetClass - 1]), 'int32');
        try {
          return await apgdSingleRun(
            classifierObjective(classifier, (z) => dlrTargetedLoss(z, ys, target)),
            xs,
            {
              eps: config.eps,
              iterations: config.iterations,
              rho: config.rho,
              eot: config.eot,
              labels: Int32Array.from(active, (i) => labels[i]),
              numClasses: C,
              phase: `target ${targetClass - 1}/${targetClasses}` + (config.restarts > 1 ? `, restart ${(r % config.restarts) + 1}/${config.restarts}` : ''),
            },
            ctx,
          );
        } finally {
          target.dispose();
        }
      },
      config.iterations,
      advData,
      steps,
    );
    return { xAdv: tf.tensor4d(advData, x.shape as [number, number, number, number]), steps };
  },
};
