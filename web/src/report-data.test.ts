import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { syntheticDataset, tinyDenseClassifier } from '@temper/edge/attacks/testing';
import { evaluateRobustness, type RobustnessReport } from '@temper/edge/evaluation';
import { beforeAll, describe, expect, it } from 'vitest';
import { examplesByEps, settingsOf, stagesByEps } from './report-data.ts';

/** The adapter against a real report (evaluateRobustness on a tiny model), round-tripped through JSON as the API returns it. */
let report: RobustnessReport;

beforeAll(async () => {
  await tf.setBackend('cpu');
  const c = tinyDenseClassifier([6, 5, 1], 4, 3);
  const ds = await syntheticDataset(c, 24, 5);
  const ev = await evaluateRobustness(c, ds, { eps: [0.5, 0.05], attacks: [{ attack: 'fgsm' }, { attack: 'pgd', config: { steps: 5 } }], modelSha256: 'ab'.repeat(32), seed: 2, checks: false });
  report = JSON.parse(JSON.stringify(ev.report)) as RobustnessReport;
  c.model.dispose();
});

describe('report-data', () => {
  it('reads the fooled examples of each eps, ascending, each with both images of the right size', () => {
    const sets = examplesByEps({ report });
    expect(sets.map((s) => s.eps)).toEqual([0.05, 0.5]);
    const big = sets[1];
    expect(big.examples.length).toBeGreaterThan(0);
    expect(big.examples).toEqual(report.results.find((r) => r.eps === 0.5)!.examples);
    for (const e of big.examples) {
      expect(e.clean).toHaveLength(30);
      expect(e.adversarial).toHaveLength(30);
      expect(e.adversarialPrediction).not.toBe(e.label);
    }
  });

  it('drops malformed examples rather than drawing noise, and prefers a typed examples field', () => {
    const broken = { ...report, results: report.results.map((r) => ({ ...r, examples: r.examples.map((e, i) => (i === 0 ? { ...e, adversarial: e.adversarial.slice(1) } : e)) })) };
    const sets = examplesByEps({ report: broken });
    expect(sets[1].examples).toHaveLength(report.results.find((r) => r.eps === 0.5)!.examples.length - 1);
    const typed = [{ eps: 0.5, examples: report.results[1].examples.slice(0, 1) }];
    expect(examplesByEps({ report, examples: typed })).toEqual(typed);
    expect(examplesByEps({ report: null })).toEqual([]);
  });

  it('lists each attack stage per eps and the settings that reproduce the numbers', () => {
    const stages = stagesByEps({ report });
    expect(stages.map((s) => s.stages.map((a) => a.attack))).toEqual([['fgsm', 'pgd'], ['fgsm', 'pgd']]);
    expect(stages[1].stages.at(-1)!.robustAccuracyAfter).toBe(stages[1].robustAccuracy);
    const settings = Object.fromEntries(settingsOf({ report }));
    expect(settings['seed']).toBe('2');
    expect(settings['AutoAttack version']).toBe('custom (Linf)');
    expect(settings['attack pgd (white-box)']).toContain('"steps":5');
  });
});
