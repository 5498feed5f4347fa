import { ErrorCodes, throwIfAborted } from '../errors.ts';
import { loadClassifier } from '../io/load.ts';
import { sha256Hex } from '../io/sha256.ts';
import type { Classifier } from '../models/classifier.ts';
import { selectEdgeBackend } from './backend-ladder.ts';
import { runDeviceChecks, type EdgeProgress } from './edge-check.ts';
import type { EdgeReport } from './report.ts';
import { decodeEdgeSample } from './sample-format.ts';
import { fetchEdgeBundle, submitEdgeReport, type EdgeSubmission, type FetchedModel, type FetchLike } from './transport.ts';
import { EdgeTransportError } from './transport-error.ts';

export interface RunEdgeCheckOptions {
  /** The API's base URL (the page passes its own origin). */
  readonly url: string;
  /** The bearer token the check was created for. */
  readonly token: string;
  readonly checkId: string;
  readonly onProgress?: (p: EdgeProgress) => void;
  readonly signal?: AbortSignal;
  /** Default globalThis.fetch. */
  readonly fetch?: FetchLike;
  /** Force a backend ('webgpu' | 'webgl' | 'wasm' | 'cpu'); default the ladder. */
  readonly backend?: string | null;
  /** Where the wasm backend fetches its .wasm files (bundled pages). */
  readonly wasmPaths?: string | Record<string, string>;
}

export interface EdgeCheckOutcome {
  readonly report: EdgeReport;
  readonly submission: EdgeSubmission;
}

async function load(m: FetchedModel, expect: { height: number; width: number; channels: number; numClasses: number }): Promise<Classifier> {
  const { classifier, info } = await loadClassifier({
    modelJson: m.modelJson,
    shards: m.shards,
    purpose: 'evaluate',
    expect,
    ...(m.ref.preprocessing !== undefined ? { preprocessing: m.ref.preprocessing } : {}),
  });
  if (info.sha256 !== m.ref.sha256) {
    classifier.model.dispose();
    throw new EdgeTransportError(
      ErrorCodes.EDGE_MODEL_HASH_MISMATCH,
      `Model "${m.ref.name}" hashes to ${info.sha256}, but the server announced ${m.ref.sha256}: the files changed or were corrupted on the way.`,
      { model: m.ref.name, expected: m.ref.sha256, actual: info.sha256 },
    );
  }
  return classifier;
}

/**
 * The whole edge check on this device (issue #7): choose the backend (webgpu → webgl → wasm → cpu),
 * download the bundle (transport.ts documents the URLs), load the student and the surrogates onto that
 * backend checking their sha256, run the device checks, and submit the report. Returns the report and
 * the server's answer. Models are disposed before it returns, whatever happens.
 */
export async function runEdgeCheck(o: RunEdgeCheckOptions): Promise<EdgeCheckOutcome> {
  const { signal } = o;
  const progress = o.onProgress ?? (() => {});
  progress({ phase: 'backend', fraction: 0, message: 'choosing the compute backend' });
  // First: models loaded afterwards live on the chosen backend from the start.
  const backend = await selectEdgeBackend({ backend: o.backend ?? undefined, ...(o.wasmPaths !== undefined ? { wasmPaths: o.wasmPaths } : {}) });
  progress({ phase: 'backend', fraction: 1, message: backend.reason });
  throwIfAborted(signal);

  const transport = { url: o.url, token: o.token, signal, ...(o.fetch ? { fetch: o.fetch } : {}) };
  const bundle = await fetchEdgeBundle({
    ...transport,
    checkId: o.checkId,
    onFile: (done, total, what) => progress({ phase: 'download', fraction: done / total, message: done < total ? `downloading ${what}` : 'downloaded' }),
  });
  const { manifest } = bundle;
  const sampleSha256 = await sha256Hex([bundle.sampleBytes]);
  if (manifest.sampleSha256 && manifest.sampleSha256 !== sampleSha256) {
    throw new EdgeTransportError(ErrorCodes.EDGE_SAMPLE_HASH_MISMATCH, `The sample hashes to ${sampleSha256}, but the server announced ${manifest.sampleSha256}.`, {
      expected: manifest.sampleSha256,
      actual: sampleSha256,
    });
  }
  const sample = decodeEdgeSample(bundle.sampleBytes);
  const expect = { height: sample.height, width: sample.width, channels: sample.channels, numClasses: sample.numClasses };

  const loaded: Classifier[] = [];
  try {
    const student = await load(bundle.student, expect);
    loaded.push(student);
    const surrogates = [];
    for (const m of bundle.surrogates) {
      const classifier = await load(m, expect);
      loaded.push(classifier);
      surrogates.push({ name: m.ref.name, classifier, sha256: m.ref.sha256 });
    }
    throwIfAborted(signal);
    const s = manifest.settings;
    const report = await runDeviceChecks({
      student: { classifier: student, sha256: manifest.student.sha256 },
      surrogates,
      sample,
      eps: s.eps,
      squareQueries: s.squareQueries,
      pgdSteps: s.pgdSteps,
      seed: s.seed,
      ...(s.attackCount !== undefined ? { attackCount: s.attackCount } : {}),
      ...(s.latency !== undefined ? { latency: s.latency } : {}),
      backend,
      checkId: manifest.checkId,
      sampleSha256,
      onProgress: progress,
      signal,
    });
    throwIfAborted(signal);
    progress({ phase: 'submit', fraction: 0, message: 'submitting the report' });
    const submission = await submitEdgeReport({ ...transport, checkId: manifest.checkId, report });
    progress({ phase: 'submit', fraction: 1, message: `submitted as ${submission.id}` });
    return { report, submission };
  } finally {
    for (const c of loaded) c.model.dispose();
  }
}
