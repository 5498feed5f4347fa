import { ErrorCodes } from '../errors.ts';
import { isObject } from '../util/is-object.ts';
import type { LatencyOptions } from './latency.ts';
import { transportError, type EdgeTransportError } from './transport-error.ts';

/**
 * The edge check bundle manifest: what the server's `GET {url}/edge/checks/{checkId}/bundle` answers
 * (`application/json`) and what a device downloads and runs from it (the exchange: transport.ts).
 *
 * ```json
 * { "bundleVersion": 1, "checkId": "c1",
 *   "student":    { "name": "student", "modelJsonUrl": "models/student/model.json", "sha256": "<hex>" },
 *   "surrogates": [{ "name": "teacher", "modelJsonUrl": "models/teacher/model.json", "sha256": "<hex>" }],
 *   "sampleUrl": "sample.bin", "sampleSha256": "<hex>",
 *   "settings": { "eps": 0.3, "squareQueries": 1000, "pgdSteps": 20, "seed": 0, "attackCount": 100 } }
 * ```
 *
 * - URLs may be absolute or relative; relative ones resolve against the bundle URL (so the example's
 *   student is `{url}/edge/checks/c1/models/student/model.json`).
 * - A model is a tfjs layers model.json whose `weightsManifest` paths name its shards; each shard is
 *   fetched from that path resolved against the model.json URL (tfjs' own convention), unless the
 *   model gives `weightUrls: { "<manifest path>": "<url>" }`. Optional `preprocessing` overrides what
 *   a Temper-saved model.json records. `sha256` is ModelInfo.sha256 (model.json bytes, then the shards
 *   in manifest order); the device refuses a model whose bytes hash otherwise (EDGE_MODEL_HASH_MISMATCH).
 * - `sampleUrl` serves the binary sample (sample-format.ts; `application/octet-stream`) carrying the
 *   server's clean predictions on the quantized images; `sampleSha256` (optional) is its file's hex
 *   SHA-256. `settings.latency` (optional) is LatencyOptions.
 */

export const EDGE_BUNDLE_VERSION = 1;

export interface EdgeModelRef {
  readonly name: string;
  readonly modelJsonUrl: string;
  readonly weightUrls?: Readonly<Record<string, string>>;
  readonly sha256: string;
  readonly preprocessing?: unknown;
}

export interface EdgeCheckSettings {
  readonly eps: number;
  readonly squareQueries: number;
  readonly pgdSteps: number;
  readonly seed: number | string;
  readonly attackCount?: number;
  readonly latency?: LatencyOptions;
}

export interface EdgeBundleManifest {
  readonly bundleVersion: typeof EDGE_BUNDLE_VERSION;
  readonly checkId: string;
  readonly student: EdgeModelRef;
  readonly surrogates: readonly EdgeModelRef[];
  readonly sampleUrl: string;
  readonly sampleSha256?: string;
  readonly settings: EdgeCheckSettings;
}

/** EDGE_BUNDLE_INVALID naming the JSON path (or field) of the problem. */
export function invalidBundle(path: string, message: string): EdgeTransportError {
  return transportError(ErrorCodes.EDGE_BUNDLE_INVALID, `The edge check bundle is invalid at ${path}: ${message}`, { path });
}

function str(obj: Record<string, unknown>, key: string, path: string): string {
  const v = obj[key];
  if (typeof v !== 'string' || v.length === 0) throw invalidBundle(`${path}.${key}`, 'expected a non-empty string');
  return v;
}

function num(obj: Record<string, unknown>, key: string, path: string): number {
  const v = obj[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) throw invalidBundle(`${path}.${key}`, 'expected a number');
  return v;
}

const HEX64 = /^[0-9a-f]{64}$/;

function modelRef(v: unknown, path: string): EdgeModelRef {
  if (!isObject(v)) throw invalidBundle(path, 'expected an object { name, modelJsonUrl, sha256 }');
  const sha256 = str(v, 'sha256', path).toLowerCase();
  if (!HEX64.test(sha256)) throw invalidBundle(`${path}.sha256`, 'expected 64 hex digits');
  let weightUrls: Record<string, string> | undefined;
  if (v.weightUrls !== undefined) {
    if (!isObject(v.weightUrls)) throw invalidBundle(`${path}.weightUrls`, 'expected an object of manifest path -> URL');
    weightUrls = {};
    for (const [k, u] of Object.entries(v.weightUrls)) {
      if (typeof u !== 'string' || !u) throw invalidBundle(`${path}.weightUrls.${k}`, 'expected a URL string');
      weightUrls[k] = u;
    }
  }
  return {
    name: str(v, 'name', path),
    modelJsonUrl: str(v, 'modelJsonUrl', path),
    sha256,
    ...(weightUrls ? { weightUrls } : {}),
    ...(v.preprocessing !== undefined && v.preprocessing !== null ? { preprocessing: v.preprocessing } : {}),
  };
}

/** Checks a manifest's shape; every problem is EDGE_BUNDLE_INVALID naming the JSON path. */
export function parseEdgeBundleManifest(json: unknown): EdgeBundleManifest {
  if (!isObject(json)) throw invalidBundle('$', 'expected a JSON object');
  if (json.bundleVersion !== EDGE_BUNDLE_VERSION) throw invalidBundle('$.bundleVersion', `expected ${EDGE_BUNDLE_VERSION}, got ${JSON.stringify(json.bundleVersion)}`);
  if (!Array.isArray(json.surrogates) || json.surrogates.length === 0) throw invalidBundle('$.surrogates', 'expected a non-empty array of models');
  const s = json.settings;
  if (!isObject(s)) throw invalidBundle('$.settings', 'expected an object');
  const seed = s.seed;
  if (typeof seed !== 'number' && typeof seed !== 'string') throw invalidBundle('$.settings.seed', 'expected a number or a string');
  if (s.attackCount !== undefined) num(s, 'attackCount', '$.settings');
  if (s.latency !== undefined && !isObject(s.latency)) throw invalidBundle('$.settings.latency', 'expected an object');
  let sampleSha256: string | undefined;
  if (json.sampleSha256 !== undefined) {
    sampleSha256 = str(json, 'sampleSha256', '$').toLowerCase();
    if (!HEX64.test(sampleSha256)) throw invalidBundle('$.sampleSha256', 'expected 64 hex digits');
  }
  const names = new Set<string>();
  const surrogates = json.surrogates.map((m, i) => {
    const ref = modelRef(m, `$.surrogates[${i}]`);
    if (names.has(ref.name)) throw invalidBundle(`$.surrogates[${i}].name`, `duplicate surrogate name "${ref.name}"`);
    names.add(ref.name);
    return ref;
  });
  return {
    bundleVersion: EDGE_BUNDLE_VERSION,
    checkId: str(json, 'checkId', '$'),
    student: modelRef(json.student, '$.student'),
    surrogates,
    sampleUrl: str(json, 'sampleUrl', '$'),
    ...(sampleSha256 ? { sampleSha256 } : {}),
    settings: {
      eps: num(s, 'eps', '$.settings'),
      squareQueries: num(s, 'squareQueries', '$.settings'),
      pgdSteps: num(s, 'pgdSteps', '$.settings'),
      seed,
      ...(s.attackCount !== undefined ? { attackCount: s.attackCount as number } : {}),
      ...(s.latency !== undefined ? { latency: s.latency as LatencyOptions } : {}),
    },
  };
}

