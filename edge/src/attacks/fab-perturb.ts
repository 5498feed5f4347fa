import type * as tf from '@tensorflow/tfjs-core';
import type { Classifier } from '../models/classifier.ts';
import { fabSingleRun, predictRows, type FabCommonConfig, type FabHyperplane } from './fab-core.ts';
import type { AttackContext } from './types.ts';

/**
 * FABAttack.perturb's loop: each round attacks only the rows still robust, and a row counts as fooled
 * only if the adversarial FAB found is misclassified and within eps (FAB minimizes the norm and may
 * find one only beyond eps). `hyperplaneFor` gives the round's linearization for the active rows.
 */
export async function fabPerturb(
  c: Classifier,
  x: tf.Tensor4D,
  y: tf.Tensor1D,
  config: FabCommonConfig,
  rounds: { count: number; phase: (r: number) => string | undefined; randomStart: (r: number) => boolean },
  hyperplaneFor: (r: number, active: number[], labels: Int32Array) => FabHyperplane,
  ctx: AttackContext,
): Promise<{ adv: Float32Array; steps: Int32Array }> {
  const n = x.shape[0];
  const D = x.size / Math.max(n, 1);
  const xData = (await x.data()) as Float32Array;
  const labels = Int32Array.from(await y.data());
  const adv = xData.slice();
  const steps = new Int32Array(n).fill(-1);
  const pred0 = await predictRows(c, xData, n);
  const robust = Uint8Array.from(pred0, (p, i) => (p === labels[i] ? 1 : 0));
  for (let r = 0; r < rounds.count; r++) {
    const active: number[] = [];
    for (let i = 0; i < n; i++) if (robust[i]) active.push(i);
    if (active.length === 0) break;
    const xs = new Float32Array(active.length * D);
    active.forEach((row, j) => xs.set(xData.subarray(row * D, (row + 1) * D), j * D));
    const ys = Int32Array.from(active, (i) => labels[i]);
    const res = await fabSingleRun(
      c,
      xs,
      active.length,
      hyperplaneFor(r, active, ys),
      { ...config, labels: ys, randomStart: rounds.randomStart(r), numClasses: c.numClasses, phase: rounds.phase(r) },
      ctx,
    );
    const pred = await predictRows(c, res.adv, active.length);
    for (let j = 0; j < active.length; j++) {
      if (pred[j] === ys[j] || !(res.norm[j] <= config.eps)) continue;
      const row = active[j];
      robust[row] = 0;
      steps[row] = r * config.iterations + res.foundAt[j]; // counted over the rounds before it
      adv.set(res.adv.subarray(j * D, (j + 1) * D), row * D);
    }
  }
  return { adv, steps };
}
