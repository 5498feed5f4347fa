import { decodeGlobalID, encodeGlobalID } from '@pothos/plugin-relay';
import {
  ApiErrorCodes,
  InvalidRequestError,
  NotFoundError,
  type CreateEdgeCheckRequest,
  type DatasetRecord,
  type EdgeCheckRecord,
  type EdgeFlagRecord,
  type JobKind,
  type JobRecord,
  type ModelRecord,
  type TemperServices,
} from '@temper/schema';
import type { Plugin } from 'graphql-yoga';
import { edgeReportFlags, edgeVerdict, thresholdsJson, type EdgeReport, EDGE_BUNDLE_VERSION, type EdgeBundleManifest, type EdgeModelRef } from '@temper/edge/device';
import type { ArtifactStore } from '../artifacts/artifact-store.ts';
import { authenticate } from '../auth/bearer.ts';
import type { EventHub } from '../jobs/event-hub.ts';
import { parseJobResult, type JobInput } from '../jobs/kinds/index.ts';
import type { NewJob, Store } from '../store/store.ts';
import { awaitJobEnd } from './job-end.ts';

/**
 * Edge checks (issue #7), the server half: the sample (built by an EDGE_SAMPLE job in a worker,
 * with the server's clean predictions), the reports with flags recomputed here, and the HTTP
 * routes of @temper/edge: device/transport.ts.
 */

export const modelFileUrl = (model: Pick<ModelRecord, 'id'>, file: string) => `/files/models/${encodeGlobalID('Model', model.id)}/${encodeURIComponent(file)}`;
export const edgeCheckPath = (checkId: string) => `/edge/checks/${encodeURIComponent(encodeGlobalID('EdgeCheck', checkId))}`;

type EdgeServices = Pick<TemperServices, 'edgeChecksByIds' | 'listEdgeChecks' | 'edgeReportsByCheckIds' | 'createEdgeCheck' | 'submitEdgeReport' | 'edgeBundleUrl'>;

export interface EdgeServiceDeps {
  readonly store: Store;
  readonly artifacts: ArtifactStore;
  readonly hub: EventHub;
  ownModel(ownerId: string, id: string): Promise<ModelRecord>;
  visibleDataset(ownerId: string, id: string): Promise<DatasetRecord>;
  fits(model: ModelRecord, d: DatasetRecord, role: string): void;
  enqueue<K extends JobKind>(kind: K, input: JobInput<K>, job: Omit<NewJob, 'kind' | 'input' | 'maxAttempts'>): Promise<JobRecord>;
  /** How long the request waits for a worker to build the sample. */
  readonly sampleTimeoutMs: number;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The parts of a submitted report the server reads; anything else is stored as given. */
function checkReport(report: unknown): EdgeReport {
  const bad = (path: string, message: string) => new InvalidRequestError(ApiErrorCodes.EDGE_REPORT_INVALID, `The report is invalid at ${path}: ${message}`, { path });
  if (!isObject(report)) throw bad('$', 'expected an EdgeReport object');
  if (report.reportVersion !== 1) throw bad('$.reportVersion', 'expected 1');
  if (!isObject(report.model) || typeof report.model.sha256 !== 'string') throw bad('$.model.sha256', 'expected a string');
  if (!isObject(report.sample) || typeof report.sample.count !== 'number') throw bad('$.sample.count', 'expected a number');
  if (!isObject(report.backend) || typeof report.backend.name !== 'string') throw bad('$.backend.name', 'expected a string');
  const a = report.agreement;
  if (a !== null && a !== undefined) {
    if (!isObject(a)) throw bad('$.agreement', 'expected an object or null');
    for (const k of ['rate', 'count', 'agree']) if (typeof a[k] !== 'number' || !Number.isFinite(a[k])) throw bad(`$.agreement.${k}`, 'expected a number');
    if (!Array.isArray(a.disagreements) || !a.disagreements.every((d) => isObject(d))) throw bad('$.agreement.disagreements', 'expected an array of objects');
  }
  // The fields checked above are the ones the server reads; the rest is kept as submitted.
  return { ...report, agreement: a ?? null } as Record<string, unknown> & EdgeReport;
}

export function createEdgeServices(d: EdgeServiceDeps): EdgeServices {
  const { store } = d;
  return {
    edgeChecksByIds: (ownerId, ids) => store.edgeChecksByIds(ownerId, ids),
    listEdgeChecks: (ownerId, page) => store.listEdgeChecks(ownerId, page),
    edgeReportsByCheckIds: (ownerId, ids) => store.edgeReportsByCheckIds(ownerId, ids),
    edgeBundleUrl: (check) => `${edgeCheckPath(check.id)}/bundle`,

    async createEdgeCheck(ownerId: string, r: CreateEdgeCheckRequest): Promise<EdgeCheckRecord> {
      const model = await d.ownModel(ownerId, r.modelId);
      const surrogates: ModelRecord[] = [];
      for (const id of r.surrogateIds) surrogates.push(await d.ownModel(ownerId, id));
      const dataset = await d.visibleDataset(ownerId, r.datasetId);
      d.fits(model, dataset, 'student');
      for (const s of surrogates) d.fits(s, dataset, 'surrogate');
      if (r.sampleSize > dataset.testSize) {
        throw new InvalidRequestError(ApiErrorCodes.EDGE_SAMPLE_TOO_LARGE, `sampleSize ${r.sampleSize} exceeds the test split of ${dataset.name} (${dataset.testSize} images).`, { sampleSize: r.sampleSize, testSize: dataset.testSize });
      }
      if (r.attackCount != null && r.attackCount > r.sampleSize) {
        throw new InvalidRequestError(ApiErrorCodes.EDGE_SAMPLE_TOO_LARGE, `attackCount ${r.attackCount} exceeds sampleSize ${r.sampleSize}.`, { attackCount: r.attackCount, sampleSize: r.sampleSize });
      }
      // The sample is compute (dataset parsing, the student's predictions): a worker builds it while the request waits.
      const job = await d.enqueue('EDGE_SAMPLE', { sampleSize: r.sampleSize }, { ownerId, method: null, seed: r.seed, modelId: model.id, teacherId: null, datasetId: dataset.id });
      const ended = await awaitJobEnd(store, d.hub, job.id, d.sampleTimeoutMs);
      if (!ended) {
        const cancelled = await store.appendJobEventIf(job.id, ['QUEUED'], 'STATUS', { message: 'Cancelled: no worker took it in time.' }, { status: 'CANCELLED', cancel_requested: 1, finished_at: new Date().toISOString() });
        if (cancelled) d.hub.publish(cancelled.event, cancelled.job);
        else await store.setCancelRequested(job.id);
        throw new InvalidRequestError(ApiErrorCodes.EDGE_SAMPLE_FAILED, `No worker built the sample within ${Math.round(d.sampleTimeoutMs / 1000)} s (the workers are busy); try again later.`, { job: job.id });
      }
      if (ended.job.status !== 'SUCCEEDED') {
        throw new InvalidRequestError(ApiErrorCodes.EDGE_SAMPLE_FAILED, `The sample could not be built: ${ended.job.errorMessage ?? ended.job.status}`, { job: job.id, code: ended.job.errorCode });
      }
      const { sampleArtifact, count } = parseJobResult('EDGE_SAMPLE', { summary: ended.event.payload }).summary;
      return store.insertEdgeCheck({
        ownerId,
        modelId: model.id,
        datasetId: dataset.id,
        surrogateIds: surrogates.map((s) => s.id),
        settings: {
          eps: r.eps,
          squareQueries: r.squareQueries,
          pgdSteps: r.pgdSteps,
          seed: r.seed,
          attackCount: r.attackCount ?? Math.min(count, 100),
          sampleSize: count,
          ...(thresholdsJson(r.thresholds) ? { thresholds: thresholdsJson(r.thresholds)! } : {}),
        },
        sampleArtifact,
        modelSha256: model.sha256,
      });
    },

    async submitEdgeReport(ownerId: string, checkId: string, submitted: unknown): Promise<EdgeCheckRecord> {
      const [check] = await store.edgeChecksByIds(ownerId, [checkId]);
      if (!check) throw new NotFoundError('EdgeCheck', encodeGlobalID('EdgeCheck', checkId));
      const report = checkReport(submitted);
      // Recomputed here: the device's own flags are not trusted.
      const flags: EdgeFlagRecord[] = edgeReportFlags(report).map(({ code, message, details }) => ({ code, message, details }));
      if (report.model.sha256 !== check.modelSha256) {
        flags.push({
          code: 'EDGE_MODEL_HASH_MISMATCH',
          message: `The device ran a model hashing to ${report.model.sha256}, not the student served (${check.modelSha256}).`,
          details: { expected: check.modelSha256, actual: report.model.sha256 },
        });
      }
      if (report.sample.sha256 != null && report.sample.sha256 !== check.sampleArtifact) {
        flags.push({
          code: 'EDGE_SAMPLE_HASH_MISMATCH',
          message: `The device ran a sample hashing to ${report.sample.sha256}, not the one served (${check.sampleArtifact}).`,
          details: { expected: check.sampleArtifact, actual: report.sample.sha256 },
        });
      }
      return store.insertEdgeReport({
        checkId: check.id,
        ownerId,
        backend: report.backend.name,
        agreementRate: report.agreement?.rate ?? null,
        flags,
        report: submitted as Record<string, unknown>,
        status: edgeVerdict(report, flags, check.settings.thresholds, check.settings.eps).status,
      });
    },
  };
}

const ROUTE = /^\/edge\/checks\/([^/]+)\/(bundle|sample\.bin)$/;

/**
 * GET /edge/checks/<check id>/bundle (the manifest) and /sample.bin (the binary sample), bearer token
 * required; another owner's check answers 404 like a missing one. Model files are the existing
 * /files/models/... routes (use-model-files.ts), root-relative so the device sends its token along.
 */
export function useEdgeChecks(store: Store, artifacts: ArtifactStore): Plugin {
  return {
    async onRequest({ request, url, fetchAPI, endResponse }) {
      const m = ROUTE.exec(url.pathname);
      if (!m) return;
      const json = (status: number, body: unknown) =>
        endResponse(new fetchAPI.Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', 'cache-control': 'private, no-store' } }));
      if (request.method !== 'GET' && request.method !== 'HEAD') return json(405, { error: 'Use GET.' });
      const owner = await authenticate(store, request.headers.get('authorization'));
      if (!owner) return json(401, { error: 'Send a valid API token as "Authorization: Bearer <token>".' });
      let gid: string;
      let id: string;
      try {
        gid = decodeURIComponent(m[1]);
        const decoded = decodeGlobalID(gid);
        if (decoded.typename !== 'EdgeCheck') return json(404, { error: 'No such edge check.' });
        id = decoded.id;
      } catch {
        return json(404, { error: 'No such edge check.' });
      }
      const [check] = await store.edgeChecksByIds(owner.id, [id]);
      if (!check) return json(404, { error: 'No such edge check.' });
      if (m[2] === 'sample.bin') {
        const bytes = await artifacts.get(check.sampleArtifact);
        return endResponse(
          new fetchAPI.Response(request.method === 'HEAD' ? null : (bytes as Uint8Array<ArrayBuffer>), {
            status: 200,
            headers: { 'content-type': 'application/octet-stream', 'content-length': String(bytes.byteLength), etag: `"${check.sampleArtifact}"`, 'cache-control': 'private, max-age=31536000, immutable' },
          }),
        );
      }
      const models = await store.modelsByIds(owner.id, [check.modelId, ...check.surrogateIds]);
      if (models.some((x) => x === null)) return json(410, { error: 'A model of this edge check was deleted.' });
      const names = new Set<string>();
      const ref = (model: ModelRecord, name: string): EdgeModelRef => {
        let unique = name;
        for (let i = 2; names.has(unique); i++) unique = `${name}-${i}`;
        names.add(unique);
        return { name: unique, modelJsonUrl: modelFileUrl(model, 'model.json'), sha256: model.sha256, ...(model.preprocessing != null ? { preprocessing: model.preprocessing } : {}) };
      };
      const [student, ...surrogates] = models as ModelRecord[];
      const s = check.settings;
      const manifest: EdgeBundleManifest = {
        bundleVersion: EDGE_BUNDLE_VERSION,
        checkId: gid,
        student: ref(student, 'student'),
        surrogates: surrogates.map((x) => ref(x, x.name)),
        sampleUrl: 'sample.bin',
        sampleSha256: check.sampleArtifact,
        settings: { eps: s.eps, squareQueries: s.squareQueries, pgdSteps: s.pgdSteps, seed: s.seed, attackCount: s.attackCount, ...(s.latency ? { latency: s.latency } : {}) },
      };
      return json(200, manifest);
    },
  };
}
