import * as tf from '@tensorflow/tfjs-core';
import { checkInt, plainSettings } from './config.ts';
import { cleanLogits, requireClasses } from './apgd-core.ts';
import { FAB_DEFAULTS, resolveFabCommon, targetedHyperplane, type FabCommonConfig } from './fab-core.ts';
import { fabPerturb } from './fab-perturb.ts';
import type { AttackDefinition } from './types.ts';

/**
 * FAB-T: targeted FAB, AutoAttack's third attack ('fab-t'). For target_class = 2 .. targetClasses + 1
 * the target of each still-robust sample is the class with the target_class-th largest clean logit,
 * and FAB walks to the boundary between the label and that class. Standard AutoAttack: 9 targets,
 * 100 iterations, 1 restart (so no random start), alpha_max 0.1, eta 1.05, beta 0.9.
 * targetClasses is capped at numClasses - 1, as in APGD-T.
 */
export interface FabTConfig extends FabCommonConfig {
  readonly targetClasses: number;
}

export const fabT: AttackDefinition<FabTConfig> = {
  name: 'fab-t',
  kind: 'white-box',
  defaults: { ...FAB_DEFAULTS, targetClasses: 9 },
  resolve(config, classifier) {
    requireClasses('fab-t', classifier, 2, 'a target class other than the label');
    const common = resolveFabCommon('fab-t', config, ['targetClasses']);
    let targetClasses = checkInt('fab-t', 'targetClasses', config.targetClasses ?? this.defaults.targetClasses, 1, 100_000);
    if (classifier) targetClasses = Math.min(targetClasses, classifier.numClasses - 1);
    return { ...common, targetClasses };
  },
  describe(config) {
    const { eps: _eps, ...rest } = config;
    return plainSettings({ ...rest, loss: 'targeted-logit-difference' });
  },
  async run(classifier, x, y, config, ctx) {
    const n = x.shape[0];
    const C = classifier.numClasses;
    const targetClasses = Math.min(config.targetClasses, C - 1);
    const zClean = await cleanLogits(classifier, x);
    // output.sort(dim=-1)[1][:, -target_class], on the clean batch.
    const ranked: Int32Array[] = [];
    for (let i = 0; i < n; i++) {
      const row = Array.from({ length: C }, (_, k) => k);
      row.sort((a, b) => zClean[i * C + b] - zClean[i * C + a]);
      ranked.push(Int32Array.from(row));
    }
    const { adv, steps } = await fabPerturb(
      classifier,
      x,
      y,
      config,
      {
        count: targetClasses * config.restarts,
        phase: (r) => `target ${Math.floor(r / config.restarts) + 1}/${targetClasses}` + (config.restarts > 1 ? `, restart ${(r % config.restarts) + 1}/${config.restarts}` : ''),
        randomStart: (r) => r % config.restarts > 0,
      },
      (r, active, labels) => {
        const targetClass = 2 + Math.floor(r / config.restarts);
        return targetedHyperplane(classifier, labels, Int32Array.from(active, (i) => ranked[i][targetClass - 1]));
      },
      ctx,
    );
    return { xAdv: tf.tensor4d(adv, x.shape as [number, number, number, number]), steps };
  },
};
