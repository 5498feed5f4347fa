import { plainSettings } from './config.ts';
import { requireClasses, resolveApgdCommon, type ApgdCommonConfig } from './apgd-core.ts';
import { runUntargetedApgd } from './apgd-ce.ts';
import { dlrLoss } from './losses.ts';
import type { AttackDefinition } from './types.ts';

/** APGD on the DLR loss ('apgd-dlr', AutoAttack's "plus" version). Needs at least 3 classes. */
export type ApgdDlrConfig = ApgdCommonConfig;

export const apgdDlr: AttackDefinition<ApgdDlrConfig> = {
  name: 'apgd-dlr',
  kind: 'white-box',
  defaults: { iterations: 100, restarts: 1, rho: 0.75, eot: 1 },
  resolve(config, classifier) {
    requireClasses('apgd-dlr', classifier, 3, 'DLR divides by z_p1 - z_p3');
    return resolveApgdCommon('apgd-dlr', config, this.defaults, []);
  },
  describe(config) {
    const { eps: _eps, ...rest } = config;
    return plainSettings({ ...rest, loss: 'dlr' });
  },
  async run(classifier, x, y, config, ctx) {
    return runUntargetedApgd(classifier, x, y, config, ctx, (ys) => (z) => dlrLoss(z, ys));
  },
};
