import { describe, expect, it } from 'vitest';
import type { EdgeCheckFieldsFragment } from '../../sdk/gql/graphql.ts';
import { CliError } from '../exit-codes.ts';
import { describeCheck, parseFraction } from './edge.ts';

/** `temper edge show`: the thresholds, the verdict with its reasons, and threshold parsing for `edge create`. */

const check = (over: Partial<EdgeCheckFieldsFragment>): EdgeCheckFieldsFragment =>
  ({
    __typename: 'EdgeCheck',
    id: 'RWRnZUNoZWNrOjE=',
    createdAt: '2026-12-03T00:00:00Z',
    checkStatus: 'FAILED',
    settings: { eps: 0.1 },
    modelSha256: 'a'.repeat(64),
    bundleUrl: '/edge/checks/x/bundle',
    model: { id: 'TW9kZWw6MQ==', name: 'student' },
    dataset: { id: 'RGF0YXNldDox', name: 'mnist' },
    surrogates: [],
    flags: [],
    thresholds: null,
    verdict: null,
    reports: [],
    ...over,
  }) as EdgeCheckFieldsFragment;

describe('edge show', () => {
  it('prints the thresholds, the verdict and every reason', () => {
    const text = describeCheck(
      check({
        thresholds: { minCleanAccuracy: 0.9, minRobustAccuracy: 0.5, minAgreement: null },
        verdict: {
          status: 'FAILED',
          integrity: 'OK',
          robustness: 'FAILED',
          flagCodes: [],
          summary: 'FAILED: Robust accuracy at eps 0.1 (lower of Square and transfer) 0.0% is below the check\'s minimum of 50.0%.',
          reasons: [{ code: 'EDGE_ROBUST_BELOW_THRESHOLD', measure: 'robustAccuracy', threshold: 0.5, actual: 0, message: 'Robust accuracy at eps 0.1 (lower of Square and transfer) 0.0% is below the check\'s minimum of 50.0%.' }],
        },
      }),
      'http://h/edge/',
    );
    expect(text).toMatch(/^status +FAILED$/m);
    expect(text).toMatch(/^thresholds clean >= 90\.00%, robust >= 50\.00%$/m);
    expect(text).toMatch(/^verdict +FAILED: Robust accuracy at eps 0\.1/m);
    expect(text).toMatch(/^reason +EDGE_ROBUST_BELOW_THRESHOLD: /m);
  });

  it('says nothing about a verdict before a device reports', () => {
    const text = describeCheck(check({ checkStatus: 'PENDING' }), 'http://h/edge/');
    expect(text).not.toMatch(/verdict|thresholds/);
  });

  it('thresholds as fractions or percentages; anything else is a usage error', () => {
    expect(parseFraction('0.9', '--min-clean')).toBe(0.9);
    expect(parseFraction('90%', '--min-clean')).toBeCloseTo(0.9, 12);
    for (const bad of ['1.5', '-0.1', 'high', '', '120%']) expect(() => parseFraction(bad, '--min-robust')).toThrow(CliError);
  });
});
