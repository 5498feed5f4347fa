import * as tf from '@tensorflow/tfjs-core';
import { logits, type Classifier } from '../models/classifier.ts';
import type { Rng } from '../util/random.ts';
import { checkEps, checkInt, checkKnownKeys, checkNumber, checkOneOf, configError, plainSettings } from './config.ts';
import { crossEntropyTargetedLoss, cwLoss, cwTargetedLoss, logCrossEntropyLoss } from './losses.ts';
import { argMaxRows, ballBounds, classifierObjective, copyRow, gatherRows, lossAndGrad, project, selectRows, tfSeed, type Objective } from './tensors.ts';
import type { AttackConfigBase, AttackContext, AttackDefinition } from './types.ts';

/**
 * PGD (Madry et al.): uniform random start in the ball, then `steps` of
 * x' = clip01(proj_eps(x' + a * sign(grad_x' L))). Evaluation-style: every iterate is classified
 * (the forward that computes the gradient gives its logits for free) and a sample counts as fooled as
 * soon as some iterate is misclassified; that iterate is returned. Restarts run only on the samples
 * still robust, as in AutoAttack.
 */
export interface PgdConfig extends AttackConfigBase {
  readonly steps: number;
  /** Absolute step size a; null means 2.5 * eps / steps (Madry et al.'s rule of thumb). */
  readonly stepSize: number | null;
  readonly restarts: number;
  readonly randomStart: boolean;
  /** Cross-entropy, or the CW-inf margin max_{k!=y} z_k - z_y. */
  readonly loss: 'ce' | 'cw';
  /**
   * false: untargeted. 'random': a uniformly drawn wrong class per sample; 'least-likely': the class
   * with the smallest clean logit. Targeted runs minimize CE to the target (or maximize its CW margin);
   * success is still counted as misclassification.
   */
  readonly targeted: false | 'random' | 'least-likely';
}

const KEYS = ['eps', 'steps', 'stepSize', 'restarts', 'randomStart', 'loss', 'targeted'] as const;

export function pgdStepSize(config: Pick<PgdConfig, 'eps' | 'steps' | 'stepSize'>): number {
  return config.stepSize ?? (2.5 * config.eps) / config.steps;
}

export interface PgdRunOptions {
  readonly eps: number;
  readonly steps: number;
  readonly stepSize: number;
  readonly randomStart: boolean;
  /** Labels to track misclassification against; without them only the last iterate is returned. */
  readonly labels?: ArrayLike<number>;
  readonly numClasses: number;
  readonly phase?: string;
}

export interface PgdRunResult {
  /** The last iterate. */
  readonly xLast: tf.Tensor4D;
  /** Per sample the latest misclassified iterate, or the start point where none was. */
  readonly xFooled: tf.Tensor4D;
  readonly fooled: Uint8Array;
}

/** One PGD run on an arbitrary objective (the target's loss, or a surrogate ensemble's for transfer). */
export async function pgdSingleRun(objective: Objective, x: tf.Tensor4D, opts: PgdRunOptions, ctx: AttackContext): Promise<PgdRunResult> {
  const n = x.shape[0];
  const { lo, hi } = ballBounds(x, opts.eps);
  let xAdv: tf.Tensor4D = opts.randomStart
    ? tf.tidy(() => project(tf.add(x, tf.randomUniform(x.shape, -opts.eps, opts.eps, 'float32', tfSeed(ctx.rng))) as tf.Tensor4D, lo, hi))
    : tf.clone(x);
  let xFooled: tf.Tensor4D = tf.clone(xAdv);
  const fooled = new Uint8Array(n);
  const track = async (z: tf.Tensor2D, at: tf.Tensor4D) => {
    if (!opts.labels) return;
    const pred = argMaxRows(await z.data(), n, opts.numClasses);
    const wrong = new Uint8Array(n);
    let any = false;
    for (let i = 0; i < n; i++) {
      if (pred[i] !== opts.labels[i]) {
        wrong[i] = 1;
        fooled[i] = 1;
        any = true;
      }
    }
    if (any) {
      const next = selectRows(wrong, at, xFooled);
      xFooled.dispose();
      xFooled = next;
    }
  };
  try {
    for (let s = 0; s < opts.steps; s++) {
      await ctx.checkpoint({ iteration: s, iterations: opts.steps, phase: opts.phase });
      const { loss, logits: z, grad } = lossAndGrad(objective, xAdv);
      try {
        await track(z, xAdv);
        const next = tf.tidy(() => project(tf.add(xAdv, tf.mul(opts.stepSize, tf.sign(grad))) as tf.Tensor4D, lo, hi));
        xAdv.dispose();
        xAdv = next;
      } finally {
        loss.dispose();
        z.dispose();
        grad.dispose();
      }
    }
    if (opts.labels) {
      const { loss, logits: z } = tf.tidy(() => objective(xAdv));
      try {
        await track(z, xAdv);
      } finally {
        loss.dispose();
        z.dispose();
      }
    }
    return { xLast: xAdv, xFooled, fooled };
  } catch (e) {
    xAdv.dispose();
    xFooled.dispose();
    throw e;
  } finally {
    lo.dispose();
    hi.dispose();
  }
}

/** Target classes per sample for targeted runs. */
export async function chooseTargets(
  mode: 'random' | 'least-likely',
  classifier: Classifier,
  x: tf.Tensor4D,
  labels: ArrayLike<number>,
  rng: Rng,
): Promise<Int32Array> {
  const n = labels.length;
  const C = classifier.numClasses;
  const t = new Int32Array(n);
  if (mode === 'random') {
    for (let i = 0; i < n; i++) {
      const k = rng.int(C - 1);
      t[i] = k >= labels[i] ? k + 1 : k;
    }
    return t;
  }
  const z = logits(classifier, x, false);
  const data = await z.data();
  z.dispose();
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let k = 1; k < C; k++) if (data[i * C + k] < data[i * C + best]) best = k;
    t[i] = best;
  }
  return t;
}

export const pgd: AttackDefinition<PgdConfig> = {
  name: 'pgd',
  kind: 'white-box',
  defaults: { steps: 20, stepSize: null, restarts: 1, randomStart: true, loss: 'ce', targeted: false },
  resolve(config, classifier) {
    checkKnownKeys('pgd', config, KEYS);
    const d = this.defaults;
    const targeted = config.targeted ?? d.targeted;
    if (targeted !== false && targeted !== 'random' && targeted !== 'least-likely') {
      throw configError('pgd', `targeted must be false, "random" or "least-likely", got ${JSON.stringify(targeted)}`);
    }
    if (targeted !== false && classifier && classifier.numClasses < 2) throw configError('pgd', 'a targeted attack needs at least 2 classes');
    const stepSize = config.stepSize ?? d.stepSize;
    return {
      eps: checkEps('pgd', config.eps),
      steps: checkInt('pgd', 'steps', config.steps ?? d.steps, 1, 100_000),
      stepSize: stepSize === null ? null : checkNumber('pgd', 'stepSize', stepSize, 0, 1),
      restarts: checkInt('pgd', 'restarts', config.restarts ?? d.restarts, 1, 1000),
      randomStart: Boolean(config.randomStart ?? d.randomStart),
      loss: checkOneOf('pgd', 'loss', config.loss ?? d.loss, ['ce', 'cw'] as const),
      targeted,
    };
  },
  describe(config) {
    const { eps: _eps, ...rest } = config;
    return plainSettings({ ...rest, stepSize: pgdStepSize(config) });
  },
  async run(classifier, x, y, config, ctx) {
    const n = x.shape[0];
    const px = x.size / Math.max(n, 1);
    const labels = await y.data();
    const targets = config.targeted ? await chooseTargets(config.targeted, classifier, x, labels, ctx.rng) : undefined;
    const advData = (await x.data()).slice() as Float32Array;
    const robust = new Uint8Array(n).fill(1);
    const stepSize = pgdStepSize(config);
    for (let r = 0; r < config.restarts; r++) {
      const active: number[] = [];
      for (let i = 0; i < n; i++) if (robust[i]) active.push(i);
      if (active.length === 0) break;
      const xs = gatherRows(x, active);
      const ys = gatherRows(y, active);
      const ts = targets ? tf.tensor1d(Int32Array.from(active, (i) => targets[i]), 'int32') : undefined;
      try {
        const lossFn = (z: tf.Tensor2D): tf.Tensor1D => {
          if (ts) return config.loss === 'ce' ? crossEntropyTargetedLoss(z, ts) : cwTargetedLoss(z, ts);
          // log CE: the same sign(grad) as CE, without its float32 underflow on confident models (losses.ts).
          return config.loss === 'ce' ? logCrossEntropyLoss(z, ys) : cwLoss(z, ys);
        };
        const res = await pgdSingleRun(
          classifierObjective(classifier, lossFn),
          xs,
          {
            eps: config.eps,
            steps: config.steps,
            stepSize,
            randomStart: config.randomStart,
            labels: Int32Array.from(active, (i) => labels[i]),
            numClasses: classifier.numClasses,
            phase: config.restarts > 1 ? `restart ${r + 1}/${config.restarts}` : undefined,
          },
          ctx,
        );
        try {
          const [fooledData, lastData] = await Promise.all([res.xFooled.data(), res.xLast.data()]);
          for (let j = 0; j < active.length; j++) {
            if (res.fooled[j]) robust[active[j]] = 0;
            copyRow((res.fooled[j] ? fooledData : lastData) as Float32Array, j, advData, active[j], px);
          }
        } finally {
          res.xFooled.dispose();
          res.xLast.dispose();
        }
      } finally {
        xs.dispose();
        ys.dispose();
        ts?.dispose();
      }
      // No randomness, no second chance: a restart would repeat the same deterministic run.
      if (!config.randomStart) break;
    }
    return { xAdv: tf.tensor4d(advData, x.shape as [number, number, number, number]) };
  },
};
