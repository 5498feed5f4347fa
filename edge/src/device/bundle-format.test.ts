import { describe, expect, it } from 'vitest';
import { ErrorCodes, TemperError } from '../errors.ts';
import { parseEdgeBundleManifest } from './bundle-format.ts';

/** The manifest's contract; the downloads and the submission run end to end in test/edge-check-http.test.ts. */

const HASH = 'ab'.repeat(32);

function manifest(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    bundleVersion: 1,
    checkId: 'c1',
    student: { name: 'student', modelJsonUrl: 'models/student/model.json', sha256: HASH },
    surrogates: [{ name: 'teacher', modelJsonUrl: 'models/teacher/model.json', sha256: HASH.toUpperCase(), weightUrls: { 'weights.bin': 'w/teacher.bin' } }],
    sampleUrl: 'sample.bin',
    settings: { eps: 0.3, squareQueries: 100, pgdSteps: 10, seed: 0 },
    ...over,
  };
}

function invalidAt(json: unknown): string | undefined {
  try {
    parseEdgeBundleManifest(json);
  } catch (e) {
    expect(e).toBeInstanceOf(TemperError);
    expect((e as TemperError).code).toBe(ErrorCodes.EDGE_BUNDLE_INVALID);
    return (e as TemperError).details.path as string;
  }
  return undefined;
}

describe('edge check bundle manifest', () => {
  it('accepts a well-formed manifest, normalizing hashes', () => {
    const m = parseEdgeBundleManifest(manifest({ sampleSha256: HASH, settings: { eps: 0.1, squareQueries: 5, pgdSteps: 2, seed: 's', attackCount: 3, latency: { runs: 2 } } }));
    expect(m.surrogates[0].sha256).toBe(HASH);
    expect(m.surrogates[0].weightUrls).toEqual({ 'weights.bin': 'w/teacher.bin' });
    expect(m.settings).toEqual({ eps: 0.1, squareQueries: 5, pgdSteps: 2, seed: 's', attackCount: 3, latency: { runs: 2 } });
  });

  it('names the JSON path of each problem', () => {
    expect(invalidAt([])).toBe('$');
    expect(invalidAt(manifest({ bundleVersion: 2 }))).toBe('$.bundleVersion');
    expect(invalidAt(manifest({ checkId: '' }))).toBe('$.checkId');
    expect(invalidAt(manifest({ student: { name: 's', modelJsonUrl: 'm.json', sha256: 'xyz' } }))).toBe('$.student.sha256');
    expect(invalidAt(manifest({ student: null }))).toBe('$.student');
    expect(invalidAt(manifest({ surrogates: [] }))).toBe('$.surrogates');
    const dup = (manifest().surrogates as unknown[])[0];
    expect(invalidAt(manifest({ surrogates: [dup, dup] }))).toBe('$.surrogates[1].name');
    expect(invalidAt(manifest({ sampleUrl: 3 }))).toBe('$.sampleUrl');
    expect(invalidAt(manifest({ settings: { eps: '0.3', squareQueries: 1, pgdSteps: 1, seed: 0 } }))).toBe('$.settings.eps');
    expect(invalidAt(manifest({ settings: { eps: 0.3, squareQueries: 1, pgdSteps: 1 } }))).toBe('$.settings.seed');
  });
});
