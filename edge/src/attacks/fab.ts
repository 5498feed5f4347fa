import * as tf from '@tensorflow/tfjs-core';
import { plainSettings } from './config.ts';
import { FAB_DEFAULTS, resolveFabCommon, untargetedHyperplane, type FabCommonConfig } from './fab-core.ts';
import { fabPerturb } from './fab-perturb.ts';
import type { AttackDefinition } from './types.ts';

/**
 * FAB, untargeted ('fab', in AutoAttack's "plus" version with 5 restarts): each step linearizes the
 * boundary to the closest other class, which needs the full Jacobian (one backward pass per class).
 * The first restart starts at the clean point, later ones at a random point of radius eps / 2.
 */
export type FabConfig = FabCommonConfig;

export const fab: AttackDefinition<FabConfig> = {
  name: 'fab',
  kind: 'white-box',
  defaults: { ...FAB_DEFAULTS },
  resolve(config) {
    return resolveFabCommon('fab', config, []);
  },
  describe(config) {
    const { eps: _eps, ...rest } = config;
    return plainSettings({ ...rest, loss: 'closest-boundary' });
  },
  async run(classifier, x, y, config, ctx) {
    const { adv, steps } = await fabPerturb(
      classifier,
      x,
      y,
      config,
      {
        count: config.restarts,
        phase: (r) => (config.restarts > 1 ? `restart ${r + 1}/${config.restarts}` : undefined),
        randomStart: (r) => r > 0,
      },
      (_r, _active, labels) => untargetedHyperplane(classifier, labels),
      ctx,
    );
    return { xAdv: tf.tensor4d(adv, x.shape as [number, number, number, number]), steps };
  },
};
