import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkThreatSetArrays } from '../attacks/threat-set.ts';
import { syntheticDataset, tinyDenseClassifier } from '../attacks/testing.ts';
import type { ImageDataset } from '../data/dataset.ts';
import type { Classifier } from '../models/classifier.ts';
import { epsFraction, parseEps } from './eps.ts';
import { evaluateRobustness, type AttackSpec } from './evaluate.ts';
import { FLAG_CATALOGUE } from './flag-catalogue.ts';
import { FlagCodes } from './report.ts';
import { AUTOATTACK_LISTS, autoAttackList } from './versions.ts';

const SHA = 'cd'.repeat(32);
const SHAPE = [6, 5, 1] as const;
const LIST: AttackSpec[] = [
  { attack: 'apgd-ce', config: { iterations: 10 } },
  { attack: 'fab-t', config: { iterations: 10, targetClasses: 3 } },
  { attack: 'square', config: { queries: 200 } },
];

let c: Classifier;
let ds: ImageDataset;

beforeAll(async () => {
  await tf.setBackend('cpu');
  c = tinyDenseClassifier(SHAPE, 5, 2);
  ds = await syntheticDataset(c, 30, 3, 7);
});

describe('the report carries per-sample results and adversarial examples', () => {
  it('per example and eps: robust, which attack, at what step or query, final margin, prediction', async () => {
    const eps = [2 / 255, 8 / 255, 0.2];
    const ev = await evaluateRobustness(c, ds, { eps, attacks: LIST, modelSha256: SHA, seed: 1, checks: false, datasetSplit: { dataset: 'synthetic', split: 'test', seed: 3 } });
    const r = ev.report;
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
    expect(r.autoAttack.version).toBe('custom');
    expect(r.libraries['tfjs-core']).toBe(tf.version_core);
    expect(r.libraries['tfjs-layers']).toMatch(/^\d+\.\d+/);
    expect(r.dataset.split).toEqual({ dataset: 'synthetic', split: 'test', seed: 3 });
    expect(r.results.map((x) => x.epsFraction)).toEqual(['2/255', '8/255', '51/255']);
    let fooledTotal = 0;
    for (const res of r.results) {
      const s = res.samples;
      for (const a of [s.robust, s.fooledBy, s.fooledAtStep, s.fooledAtQuery, s.margin, s.prediction]) expect(a).toHaveLength(ds.count);
      for (let i = 0; i < ds.count; i++) {
        const clean = ev.clean[i] === 1;
        const m = s.margin[i]!;
        if (s.robust[i]) {
          expect(m).toBeGreaterThan(0);
          expect(s.prediction[i]).toBe(ds.labels[i]);
        } else if (!clean) {
          expect(m).toBeLessThanOrEqual(0);
          expect(s.fooledBy[i]).toBe(-1);
        } else {
          fooledTotal++;
          expect(m).toBeLessThanOrEqual(0);
          expect(s.prediction[i]).not.toBe(ds.labels[i]);
          const attack = res.attacks[s.fooledBy[i]].attack;
          if (attack === 'square') expect(s.fooledAtQuery[i]).toBeGreaterThanOrEqual(1);
          else {
            // The first fooling iteration, counted over restarts and targets: apgd-ce 10 x 1, fab-t 10 x 3.
            expect(s.fooledAtStep[i]).toBeGreaterThanOrEqual(0);
            expect(s.fooledAtStep[i]).toBeLessThanOrEqual(attack === 'apgd-ce' ? 10 : 29);
          }
        }
      }
      // The gallery: the first fooled examples, at most 12, each a real adversarial example.
      const fooledRows = s.fooledBy.flatMap((f, i) => (f >= 0 ? [i] : []));
      expect(res.examples.map((e) => e.index)).toEqual(fooledRows.slice(0, 12));
      for (const e of res.examples) {
        expect(e.label).toBe(ds.labels[e.index]);
        expect(e.adversarialPrediction).not.toBe(e.label);
        expect(e.cleanPrediction).toBe(e.label);
        expect(e.shape).toEqual([...SHAPE]);
        expect(e.clean).toEqual(Array.from(ds.images.subarray(e.index * 30, (e.index + 1) * 30)));
        expect(checkThreatSetArrays(Float32Array.from(e.clean), Float32Array.from(e.adversarial), res.eps).ok).toBe(true);
        const z = tf.tidy(() => tf.argMax(c.model.apply(tf.tensor4d(Float32Array.from(e.adversarial), [1, ...SHAPE])) as tf.Tensor2D, 1));
        expect((await z.data())[0]).toBe(e.adversarialPrediction);
        z.dispose();
      }
    }
    expect(fooledTotal).toBeGreaterThan(12);
    expect(r.results[2].examples).toHaveLength(12);
    const none = await evaluateRobustness(c, ds, { eps: 0.1, attacks: LIST.slice(0, 1), modelSha256: SHA, checks: false, examplesPerEps: 0 });
    expect(none.report.results[0].examples).toEqual([]);
  });
});

describe('the gallery and the reproduction recipe without the per-row adversarial images', () => {
  it('keepAdversarial false still yields the same examples, and the report says how to rerun it', async () => {
    const split = { dataset: 'synthetic', split: 'test', seed: 3 };
    const opts = { eps: [8 / 255, 0.2], attacks: LIST, modelSha256: SHA, seed: 5, checks: false, datasetSplit: split, environment: { node: 'x' }, hardening: { method: 'pgd-at' } } as const;
    const kept = await evaluateRobustness(c, ds, opts);
    const lean = await evaluateRobustness(c, ds, { ...opts, keepAdversarial: false });
    expect(lean.results[0].adversarial).toHaveLength(0);
    for (let e = 0; e < 2; e++) {
      expect(lean.report.results[e].examples.length).toBeGreaterThan(0);
      expect(lean.report.results[e].examples).toEqual(kept.report.results[e].examples);
    }
    const r = lean.report;
    expect(r.labels).toEqual(Array.from(ds.labels));
    expect(r.cleanPredictions).toHaveLength(ds.count);
    expect(r.cleanPredictions!.filter((p, i) => p === ds.labels[i]).length / ds.count).toBeCloseTo(r.cleanAccuracy, 12);
    expect(r.environment).toEqual({ node: 'x' });
    expect(r.hardening).toEqual({ method: 'pgd-at' });
    expect(r.reproduce).toMatchObject({ autoAttackVersion: 'custom', eps: [8 / 255, 0.2], epsFractions: ['8/255', '51/255'], seed: 5, examples: ds.count, batchSize: 250, datasetSplit: split });
    // Every attack with every resolved setting: rerunning with exactly this list gives the same report.
    expect(r.reproduce!.attacks.map((a) => a.attack)).toEqual(['apgd-ce', 'fab-t', 'square']);
    expect(r.reproduce!.attacks[1].config).toMatchObject({ iterations: 10, targetClasses: 3 });
    const again = await evaluateRobustness(c, ds, { ...opts, keepAdversarial: false, attacks: r.reproduce!.attacks.map((a) => ({ attack: a.attack, config: a.config })) });
    expect(again.report.results.map((x) => x.samples)).toEqual(r.results.map((x) => x.samples));
  });
});

describe('AutoAttack versions', () => {
  it('standard, plus and rand are the reference lists; the report names the version', async () => {
    expect(AUTOATTACK_LISTS.standard.map((s) => s.attack)).toEqual(['apgd-ce', 'apgd-t', 'fab-t', 'square']);
    expect(autoAttackList('plus').map((s) => s.attack)).toEqual(['apgd-ce', 'apgd-dlr', 'fab', 'square', 'apgd-t', 'fab-t']);
    expect(autoAttackList('plus')[0].config).toMatchObject({ restarts: 5 });
    expect(autoAttackList('rand').map((s) => [s.attack, s.config?.eot])).toEqual([
      ['apgd-ce', 20],
      ['apgd-dlr', 20],
    ]);
    expect(() => autoAttackList('turbo')).toThrow(expect.objectContaining({ code: 'ATTACK_INVALID_CONFIG' }));
    const few = { ...ds, count: 4, images: ds.images.slice(0, 4 * 30), labels: ds.labels.slice(0, 4) };
    const ev = await evaluateRobustness(c, few, { eps: 0.05, attacks: 'rand', modelSha256: SHA, checks: false });
    expect(ev.report.autoAttack.version).toBe('rand');
    expect(ev.report.attacks.map((a) => a.settings.eot)).toEqual([20, 20]);
  });
});

describe('setup flags', () => {
  it('CLEAN_NEAR_CHANCE when clean accuracy is at most 2x chance, with the preprocessing hint', async () => {
    // Labels shifted by one class: the model is "right" about nothing, as with a preprocessing mismatch.
    const shifted = { ...ds, labels: Int32Array.from(ds.labels, (l) => (l + 1) % 5) };
    const bad = await evaluateRobustness(c, shifted, { eps: 0.05, attacks: LIST.slice(0, 1), modelSha256: SHA, checks: { cleanNearChance: true } });
    const flag = bad.report.flags.find((f) => f.code === FlagCodes.CLEAN_NEAR_CHANCE);
    expect(flag?.hint).toMatch(/preprocessing/);
    expect(flag?.details).toMatchObject({ chance: 0.2, factor: 2 });
    const good = await evaluateRobustness(c, ds, { eps: 0.05, attacks: LIST.slice(0, 1), modelSha256: SHA, checks: { cleanNearChance: true } });
    expect(good.report.flags.map((f) => f.code)).not.toContain(FlagCodes.CLEAN_NEAR_CHANCE);
  });

  it('NONFINITE_WEIGHTS when a weight is NaN or infinite', async () => {
    const broken = tinyDenseClassifier(SHAPE, 5, 4);
    const fine = await evaluateRobustness(broken, ds, { eps: 0.05, attacks: LIST.slice(0, 1), modelSha256: SHA, checks: { finiteWeights: true } });
    expect(fine.report.checks.finiteWeights).toMatchObject({ nonFinite: 0 });
    const layer = broken.model.layers[1];
    const [k, b] = layer.getWeights();
    const kd = k.dataSync().slice();
    kd[3] = Number.NaN;
    kd[7] = Number.POSITIVE_INFINITY;
    const k2 = tf.tensor(kd, k.shape);
    layer.setWeights([k2, b]);
    k2.dispose();
    const ev = await evaluateRobustness(broken, ds, { eps: 0.05, attacks: LIST.slice(0, 1), modelSha256: SHA, checks: { finiteWeights: true } });
    const flag = ev.report.flags.find((f) => f.code === FlagCodes.NONFINITE_WEIGHTS);
    expect(flag?.details).toMatchObject({ nonFinite: 2 });
    broken.model.dispose();
  });

  it('every flag code has a documented meaning and hint', () => {
    for (const code of Object.values(FlagCodes)) {
      expect(FLAG_CATALOGUE[code].code).toBe(code);
      expect(FLAG_CATALOGUE[code].meaning.length).toBeGreaterThan(40);
      expect(FLAG_CATALOGUE[code].hint.length).toBeGreaterThan(20);
    }
  });
});

describe('eps in both notations', () => {
  it('parses fractions and shows whole 255ths as k/255', () => {
    expect(parseEps('8/255')).toBeCloseTo(8 / 255, 12);
    expect(parseEps(' 0.3 ')).toBe(0.3);
    expect(parseEps('1e-2')).toBe(0.01);
    expect(parseEps('8/0')).toBeNaN();
    expect(parseEps('eight')).toBeNaN();
    expect(epsFraction(8 / 255)).toBe('8/255');
    expect(epsFraction(0.3)).toBeNull();
  });
});
