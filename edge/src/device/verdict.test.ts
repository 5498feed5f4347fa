import { describe, expect, it } from 'vitest';
import { edgeRobustAccuracy, edgeVerdict, EdgeVerdictCodes, thresholdsJson } from './verdict.ts';

const report = (clean: number, square: number, transfer: number, agreement: number | null) => ({
  clean: { accuracy: clean },
  square: { robustAccuracy: square },
  transfer: { robustAccuracy: transfer },
  agreement: agreement === null ? null : { rate: agreement },
});

describe('edge verdicts keep integrity and robustness apart', () => {
  it('0% robust with an unflagged report: PASSED without thresholds (integrity only), FAILED with a robust minimum', () => {
    const r = report(0.95, 0, 0.4, 1);
    expect(edgeVerdict(r, [], null)).toMatchObject({ status: 'PASSED', integrity: 'OK', robustness: 'NOT_CHECKED', reasons: [] });
    const v = edgeVerdict(r, [], { minRobustAccuracy: 0.5 }, 0.1);
    expect(v).toMatchObject({ status: 'FAILED', integrity: 'OK', robustness: 'FAILED' });
    expect(v.reasons).toEqual([expect.objectContaining({ code: EdgeVerdictCodes.EDGE_ROBUST_BELOW_THRESHOLD, measure: 'robustAccuracy', threshold: 0.5, actual: 0 })]);
    expect(v.summary).toMatch(/^FAILED: .*eps 0\.1.*0\.0%.*50\.0%/);
  });

  it('robust accuracy is the lower of Square and transfer; every missed threshold is a reason', () => {
    expect(edgeRobustAccuracy(report(1, 0.7, 0.3, 1))).toBe(0.3);
    expect(edgeRobustAccuracy({ square: { robustAccuracy: 0.6 } })).toBe(0.6);
    expect(edgeRobustAccuracy({})).toBeNull();
    const v = edgeVerdict(report(0.8, 0.7, 0.3, 0.97), [], { minCleanAccuracy: 0.9, minRobustAccuracy: 0.35, minAgreement: 0.99 });
    expect(v.reasons.map((r) => r.code)).toEqual([EdgeVerdictCodes.EDGE_CLEAN_BELOW_THRESHOLD, EdgeVerdictCodes.EDGE_ROBUST_BELOW_THRESHOLD, EdgeVerdictCodes.EDGE_AGREEMENT_BELOW_THRESHOLD]);
    expect(v.reasons.map((r) => r.actual)).toEqual([0.8, 0.3, 0.97]);
  });

  it('at the threshold passes; a threshold on a missing measure fails with EDGE_MEASURE_MISSING', () => {
    expect(edgeVerdict(report(0.9, 0.5, 0.5, 1), [], { minCleanAccuracy: 0.9, minRobustAccuracy: 0.5, minAgreement: 1 })).toMatchObject({ status: 'PASSED', robustness: 'PASSED' });
    const v = edgeVerdict(report(0.9, 0.5, 0.5, null), [], { minAgreement: 0.99 });
    expect(v).toMatchObject({ status: 'FAILED', reasons: [{ code: EdgeVerdictCodes.EDGE_MEASURE_MISSING, measure: 'agreement', actual: null }] });
  });

  it('a flagged report is FLAGGED whatever its numbers, and still says whether it met the thresholds', () => {
    const flags = [{ code: 'EDGE_MODEL_HASH_MISMATCH' }];
    expect(edgeVerdict(report(1, 1, 1, 1), flags, { minRobustAccuracy: 0.5 })).toMatchObject({ status: 'FLAGGED', integrity: 'FLAGGED', robustness: 'PASSED', flagCodes: ['EDGE_MODEL_HASH_MISMATCH'] });
    const both = edgeVerdict(report(1, 0, 0, 1), flags, { minRobustAccuracy: 0.5 });
    expect(both).toMatchObject({ status: 'FLAGGED', integrity: 'FLAGGED', robustness: 'FAILED' });
    expect(both.summary).toMatch(/EDGE_MODEL_HASH_MISMATCH.*below/);
  });

  it('stored thresholds drop the absent ones', () => {
    expect(thresholdsJson({ minCleanAccuracy: null, minRobustAccuracy: 0.4 })).toEqual({ minRobustAccuracy: 0.4 });
    expect(thresholdsJson({ minCleanAccuracy: null })).toBeNull();
    expect(thresholdsJson(undefined)).toBeNull();
  });
});
