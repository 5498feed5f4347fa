import { describe, expect, test } from 'vitest';
import { JobDataError, parseJobInput, parseJobResult } from './index.ts';

describe('job kinds at the boundary', () => {
  test('inputs are parsed into the shape of their kind', () => {
    expect(parseJobInput('EVALUATE', { eps: [0.1], attacks: [{ attack: 'fgsm' }], sampleSize: 5 })).toEqual({ eps: [0.1], attacks: [{ attack: 'fgsm' }], sampleSize: 5 });
    expect(parseJobInput('TRAIN_ZOO', { architecture: 'mlp', epochs: 0, featureWidth: null, batchSize: null, name: null })).toMatchObject({ architecture: 'mlp', epochs: 0 });
    expect(parseJobInput('EDGE_SAMPLE', { sampleSize: 30 })).toEqual({ sampleSize: 30 });
    expect(parseJobInput('HARDEN', { eps: 0.1, epochs: 1, evaluation: { attacks: [{ attack: 'pgd', config: { steps: 3 } }] } }).evaluation?.attacks?.[0]).toEqual({ attack: 'pgd', config: { steps: 3 } });
  });

  test('a stored input of the wrong shape is a JobDataError naming the field', () => {
    const e = (() => {
      try {
        parseJobInput('EVALUATE', { eps: 'wide' });
      } catch (x) {
        return x;
      }
    })();
    expect(e).toBeInstanceOf(JobDataError);
    expect((e as JobDataError).code).toBe('JOB_DATA_INVALID');
    expect((e as JobDataError).message).toContain('eps');
    expect(() => parseJobInput('HARDEN', { eps: 0.1 })).toThrow(/epochs/);
    expect(() => parseJobInput('EDGE_SAMPLE', { sampleSize: 0 })).toThrow(JobDataError);
  });

  test('results are checked before they are recorded', () => {
    expect(() => parseJobResult('EVALUATE', { report: { cleanAccuracy: 1.5, results: [], epsCurve: [] } })).toThrow(JobDataError);
    expect(() => parseJobResult('EDGE_SAMPLE', { summary: { sampleArtifact: 'not-a-hash', count: 3 } })).toThrow(/sampleArtifact/);
    const hash = 'a'.repeat(64);
    expect(parseJobResult('EDGE_SAMPLE', { summary: { sampleArtifact: hash, count: 3, message: 'Succeeded.' } })).toEqual({ summary: { sampleArtifact: hash, count: 3 } });
  });
});
