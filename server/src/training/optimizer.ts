import * as tf from '@tensorflow/tfjs-core';
import { ErrorCodes, TrainingConfigError } from '@temper/edge';
import type { NamedTensor } from './checkpoint-payload.ts';

export type OptimizerConfig =
  | { readonly kind: 'adam'; readonly learningRate: number; readonly weightDecay?: number }
  | { readonly kind: 'sgd'; readonly learningRate: number; readonly momentum?: number; readonly nesterov?: boolean; readonly weightDecay?: number };

export type ScheduleConfig =
  | { readonly kind: 'constant' }
  /** Per-step cosine from the base rate to 0 over the run (RRM's recipe). */
  | { readonly kind: 'cosine' }
  /** Multiply by `factor` at each listed epoch (Madry/RSLAD style). */
  | { readonly kind: 'piecewise'; readonly milestones: readonly number[]; readonly factor: number }
  /**
   * Per-step triangle 0 -> base at 2/5 of the run -> 0 (Wong et al.'s Fast AT "cyclic" schedule:
   * np.interp(t, [0, epochs * 2 // 5, epochs], [0, lr_max, 0]) with t in fractional epochs).
   */
  | { readonly kind: 'cyclic' };

/** Learning rate at a (fractional) position in the run. */
export function scheduledLearningRate(base: number, schedule: ScheduleConfig, step: number, totalSteps: number, epoch: number): number {
  switch (schedule.kind) {
    case 'constant':
      return base;
    case 'cosine':
      return 0.5 * base * (1 + Math.cos(Math.PI * Math.min(1, step / Math.max(1, totalSteps))));
    case 'piecewise':
      return base * schedule.factor ** schedule.milestones.filter((m) => epoch >= m).length;
    case 'cyclic': {
      // Wong's code evaluates the schedule after the step counter advanced: t = epoch + (i + 1) / batches.
      const t = Math.min(1, (step + 1) / Math.max(1, totalSteps));
      const peak = 0.4;
      return t <= peak ? (base * t) / peak : (base * (1 - t)) / (1 - peak);
    }
  }
}

/** Optimizer slots as checkpoints store them: tfjs' own getWeights() order plus what setWeights cannot restore exactly. */
export interface OptimizerState {
  readonly weights: NamedTensor[];
  /** Adam's running beta powers: setWeights recomputes them with pow(), which is not bit-identical to the running product. */
  readonly accBeta?: readonly [tf.Tensor, tf.Tensor];
}

/**
 * A tfjs optimizer whose learning rate the loop can change per step. Weight decay is the classic L2
 * form (added to the gradient), as in the PyTorch SGD the reference recipes use.
 */
export class ScheduledOptimizer {
  readonly inner: tf.Optimizer;
  private lr: number;

  constructor(readonly config: OptimizerConfig) {
    if (!(config.learningRate > 0)) throw new TrainingConfigError(ErrorCodes.TRAINING_INVALID_CONFIG, `learningRate must be > 0, got ${config.learningRate}`);
    this.lr = config.learningRate;
    this.inner =
      config.kind === 'adam'
        ? tf.train.adam(config.learningRate)
        : config.momentum
          ? tf.train.momentum(config.learningRate, config.momentum, config.nesterov ?? false)
          : tf.train.sgd(config.learningRate);
  }

  setLearningRate(lr: number): void {
    if (lr === this.lr) return;
    this.lr = lr;
    // tfjs optimizers read `learningRate` on every applyGradients call.
    (this.inner as unknown as { learningRate: number }).learningRate = lr;
    const sgd = this.inner as unknown as { setLearningRate?: (lr: number) => void };
    sgd.setLearningRate?.(lr);
  }

  get learningRate(): number {
    return this.lr;
  }

  /** Applies gradients (adding weight decay first) and disposes them. */
  apply(grads: Record<string, tf.Tensor>, vars: readonly tf.Variable[]): void {
    const wd = this.config.weightDecay ?? 0;
    const named: tf.NamedTensorMap = {};
    tf.tidy(() => {
      for (const v of vars) {
        const g = grads[v.name];
        if (!g) continue;
        named[v.name] = wd > 0 ? tf.keep(tf.add(g, tf.mul(v, wd))) : g;
      }
    });
    this.inner.applyGradients(named);
    for (const [k, g] of Object.entries(named)) if (g !== grads[k]) g.dispose();
    for (const g of Object.values(grads)) g.dispose();
  }

  /** The slots (momentum buffers, Adam moments, iteration count), copied: the caller disposes them. */
  async getState(): Promise<OptimizerState> {
    const raw = await this.inner.getWeights();
    const weights = raw.map((w) => ({ name: w.name, tensor: tf.clone(w.tensor) }));
    // getWeights() returns the slot variables themselves but a fresh scalar for the iteration count.
    for (const w of raw) if (w.name === 'iter') w.tensor.dispose();
    const adam = this.inner as unknown as { accBeta1?: tf.Variable; accBeta2?: tf.Variable };
    const accBeta = this.config.kind === 'adam' && adam.accBeta1 && adam.accBeta2 ? ([tf.clone(adam.accBeta1), tf.clone(adam.accBeta2)] as const) : undefined;
    return { weights, accBeta };
  }

  /** Restores slots saved by getState (tensors are copied; the caller keeps ownership). */
  async setState(state: OptimizerState): Promise<void> {
    const copies = state.weights.map((w) => ({ name: w.name, tensor: tf.clone(w.tensor) }));
    // Each slot variable takes its own reference to the copied data.
    await this.inner.setWeights(copies);
    tf.dispose(copies.map((c) => c.tensor));
    const adam = this.inner as unknown as { accBeta1?: tf.Variable; accBeta2?: tf.Variable };
    if (state.accBeta && adam.accBeta1 && adam.accBeta2) {
      adam.accBeta1.assign(state.accBeta[0]);
      adam.accBeta2.assign(state.accBeta[1]);
    }
  }

  dispose(): void {
    this.inner.dispose();
    // MomentumOptimizer.dispose() does not call SGDOptimizer's, which owns the learning-rate scalar.
    if (this.inner instanceof tf.MomentumOptimizer) (this.inner as unknown as { c?: tf.Tensor }).c?.dispose();
  }
}
