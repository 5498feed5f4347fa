import { describe, expect, it } from 'vitest';
import { hardeningProvenance } from './provenance.ts';

/** What a hardening run's report records about its training (issue 14, point 6). */
describe('hardeningProvenance', () => {
  it('method, resolved parameters with their sources, optimizer and the budget spent, as plain JSON', () => {
    const p = hardeningProvenance({
      config: { method: 'pgd-at', eps: 0.1, seed: 3, epochs: 2, passes: 2, batchSize: 128, recipeFamily: 'mnist', params: { steps: 10, stepSize: 0.025, lr: 0.001, skip: undefined }, sources: { steps: 'user', lr: 'recipe' }, attackBatchNorm: 'eval', optimizer: { kind: 'adam', learningRate: 0.001 }, schedule: { kind: 'constant' } },
      training: { seconds: 12.5, examplesPerSecond: 480, epochs: 2, steps: 47, finalTerms: { loss: 0.4 }, preparationSeconds: 0, wallSeconds: 13, epochTerms: [], resumedFromEpoch: 0 },
    });
    expect(p).toEqual({
      method: 'pgd-at',
      eps: 0.1,
      seed: 3,
      recipeFamily: 'mnist',
      params: { steps: 10, stepSize: 0.025, lr: 0.001 },
      paramSources: { steps: 'user', lr: 'recipe' },
      attackBatchNorm: 'eval',
      optimizer: { kind: 'adam', learningRate: 0.001 },
      schedule: { kind: 'constant' },
      budget: { epochs: 2, passes: 2, batchSize: 128, steps: 47, seconds: 12.5, examplesPerSecond: 480, resumedFromEpoch: 0 },
    });
  });
});
