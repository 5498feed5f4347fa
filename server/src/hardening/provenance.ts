import type { JsonObject } from '@temper/edge/attacks';
import type { TrainedHardening } from './run.ts';

/**
 * What the report of a hardening run records about the training that produced the model: the method,
 * every resolved parameter with where its value came from (user, recipe default, derived), and the
 * training budget actually spent. JSON round-trip drops undefined values and functions, which a
 * stored report cannot hold anyway.
 */
export function hardeningProvenance(t: Pick<TrainedHardening, 'config' | 'training'>): JsonObject {
  const c = t.config;
  const budget = {
    epochs: c.epochs,
    passes: c.passes,
    batchSize: c.batchSize,
    steps: t.training.steps,
    seconds: t.training.seconds,
    examplesPerSecond: t.training.examplesPerSecond,
    resumedFromEpoch: t.training.resumedFromEpoch,
  };
  return JSON.parse(
    JSON.stringify({
      method: c.method,
      eps: c.eps,
      seed: c.seed,
      recipeFamily: c.recipeFamily,
      params: c.params,
      paramSources: c.sources,
      attackBatchNorm: c.attackBatchNorm,
      optimizer: c.optimizer,
      schedule: c.schedule,
      budget,
    }),
  ) as JsonObject;
}
