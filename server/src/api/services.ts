import { version_core as tfjsVersion } from '@tensorflow/tfjs-core';
import { encodeGlobalID } from '@pothos/plugin-relay';
import {
  ApiErrorCodes,
  ConflictError,
  HARDENING_METHODS,
  InvalidRequestError,
  methodNeedsTeacher,
  NotFoundError,
  TERMINAL_JOB_STATUSES,
  type DatasetRecord,
  type JobEventRecord,
  type JobKind,
  type JobRecord,
  type HardenModelRequest,
  type ModelRecord,
  type TemperServices,
} from '@temper/schema';
import { ErrorCodes, ModelCompatibilityError, getZooArchitecture, ZOO } from '@temper/edge';
import { attackNames } from '@temper/edge/attacks';
import type { AutoAttackVersion } from '@temper/edge/evaluation';
import { validateAttackNames } from './attack-names.ts';
import { validateMethodParams } from './method-params.ts';
import { discardUnreferenced } from '../artifacts/artifact-gc.ts';
import { forgetTokens } from '../auth/bearer.ts';
import type { ArtifactStore } from '../artifacts/artifact-store.ts';
import type { ParsePool } from '../parsing/parse-pool.ts';
import { AsyncQueue } from '../jobs/async-queue.ts';
import type { EventHub } from '../jobs/event-hub.ts';
import { parseJobInput, type JobInput } from '../jobs/kinds/index.ts';
import type { JobScheduler } from '../jobs/scheduler.ts';
import type { NewJob, Store } from '../store/store.ts';
import type { ReadMemo } from './read-memo.ts';
import { uploadDataset, uploadModel } from './uploads.ts';
import { autoTeacherFromParams } from '../teachers/auto-teacher.ts';
import { createEdgeServices, modelFileUrl } from './edge-checks.ts';

export interface ServicesOptions {
  readonly store: Store;
  readonly artifacts: ArtifactStore;
  readonly hub: EventHub;
  /** The embedded Supervisor or distributed mode's queue. */
  readonly supervisor: JobScheduler;
  /** Attempts a job gets when its worker crashes (1: fail at the first crash). */
  readonly maxAttempts: number;
  readonly version: string;
  /** How long an unreferenced artifact is kept after its last write (artifact-gc.ts). */
  readonly artifactGraceMs: number;
  /** The threads that check uploads off the event loop. */
  readonly parse: ParsePool;
  /** Memoizes the resolvers' reads while the store is unchanged (read-memo.ts); none: every read queries. */
  readonly memo?: ReadMemo;
  /** How long createEdgeCheck waits for a worker to build the sample (default 120 s). */
  readonly edgeSampleTimeoutMs?: number;
}

/** TemperServices over the store, the artifact store and the job supervisor. */
export function createServices(o: ServicesOptions): TemperServices {
  const { store, hub, supervisor } = o;
  const gc = { store, artifacts: o.artifacts, graceMs: o.artifactGraceMs };
  const memo: ReadMemo = o.memo ?? ((_key, load) => load());

  async function ownModel(ownerId: string, id: string): Promise<ModelRecord> {
    const [m] = await store.modelsByIds(ownerId, [id]);
    if (!m) throw new NotFoundError('Model', encodeGlobalID('Model', id));
    return m;
  }
  async function visibleDataset(ownerId: string, id: string): Promise<DatasetRecord> {
    const [d] = await store.datasetsByIds(ownerId, [id]);
    if (!d) throw new NotFoundError('Dataset', encodeGlobalID('Dataset', id));
    return d;
  }
  function fits(model: ModelRecord, d: DatasetRecord, role: string): void {
    const [h, w, c] = model.inputShape;
    if (h !== d.height || w !== d.width || c !== d.channels) {
      throw new ModelCompatibilityError(ErrorCodes.MODEL_INPUT_SHAPE_MISMATCH, `The ${role} takes ${h}x${w}x${c} images; dataset ${d.name} has ${d.height}x${d.width}x${d.channels}.`, { role, model: model.inputShape, dataset: [d.height, d.width, d.channels] });
    }
    if (model.numClasses !== d.numClasses) {
      throw new ModelCompatibilityError(ErrorCodes.MODEL_OUTPUT_CLASSES_MISMATCH, `The ${role} outputs ${model.numClasses} classes; dataset ${d.name} has ${d.numClasses}.`, { role, model: model.numClasses, dataset: d.numClasses });
    }
  }
  /** Stores the job with its input in its kind's shape (jobs/kinds), then tells the scheduler. */
  async function enqueue<K extends JobKind>(kind: K, input: JobInput<K>, job: Omit<NewJob, 'kind' | 'input' | 'maxAttempts'>): Promise<JobRecord> {
    const created = await store.insertJob({ ...job, kind, input: parseJobInput(kind, input), maxAttempts: o.maxAttempts });
    const r = await store.appendJobEvent(created.id, 'STATUS', { message: 'Queued.' });
    hub.publish(r.event, r.job);
    supervisor.kick();
    return r.job;
  }
  async function ownJob(ownerId: string, id: string): Promise<JobRecord> {
    const [j] = await store.jobsByIds(ownerId, [id]);
    if (!j) throw new NotFoundError('Job', id);
    return j;
  }

  return {
    // The reads resolvers make: memoized while the database is unchanged (read-memo.ts).
    modelsByIds: (ownerId, ids) => memo(`modelsByIds ${ownerId} ${ids.join()}`, () => store.modelsByIds(ownerId, ids)),
    datasetsByIds: (ownerId, ids) => memo(`datasetsByIds ${ownerId} ${ids.join()}`, () => store.datasetsByIds(ownerId, ids)),
    jobsByIds: (ownerId, ids) => memo(`jobsByIds ${ownerId} ${ids.join()}`, () => store.jobsByIds(ownerId, ids)),
    evaluationsByIds: (ownerId, ids) => memo(`evaluationsByIds ${ownerId} ${ids.join()}`, () => store.evaluationsByIds(ownerId, ids)),
    evaluationIdsByModelIds: (ownerId, ids) => memo(`evaluationIdsByModelIds ${ownerId} ${ids.join()}`, () => store.evaluationIdsByModelIds(ownerId, ids)),
    listModels: (ownerId, filter, page) => memo(`listModels ${ownerId} ${JSON.stringify([filter.source, page.limit, page.offset])}`, () => store.listModels(ownerId, filter, page)),
    listDatasets: (ownerId, page) => memo(`listDatasets ${ownerId} ${page.limit} ${page.offset}`, () => store.listDatasets(ownerId, page)),
    listJobs: (ownerId, filter, page) => memo(`listJobs ${ownerId} ${JSON.stringify([filter.status, filter.method, filter.kind, page.limit, page.offset])}`, () => store.listJobs(ownerId, filter, page)),
    async jobEvents(ownerId, jobId, after, limit) {
      await ownJob(ownerId, jobId);
      return store.jobEvents(jobId, after, limit);
    },

    ...createEdgeServices({ store, artifacts: o.artifacts, hub, ownModel, visibleDataset, fits, enqueue, sampleTimeoutMs: o.edgeSampleTimeoutMs ?? 120_000 }),

    uploadModel: (ownerId, r) => uploadModel({ store, gc, parse: o.parse }, ownerId, r),
    uploadDataset: (ownerId, r) => uploadDataset({ store, gc, parse: o.parse }, ownerId, r),

    async createZooModel(ownerId, r) {
      getZooArchitecture(r.architecture);
      const d = await visibleDataset(ownerId, r.datasetId);
      return enqueue(
        'TRAIN_ZOO',
        { architecture: r.architecture, epochs: r.epochs, featureWidth: r.featureWidth, batchSize: r.batchSize, name: r.name },
        { ownerId, method: 'natural', seed: r.seed, modelId: null, teacherId: null, datasetId: d.id },
      );
    },

    async hardenModel(ownerId, r) {
      const needsTeacher = methodNeedsTeacher(r.method);
      const wantsTeacher = Boolean(r.teacherId) || r.autoTeacher === true;
      if (needsTeacher && !wantsTeacher) throw new InvalidRequestError(ApiErrorCodes.TEACHER_REQUIRED, `Method ${r.method} distills from a teacher: pass input.teacher.`, { method: r.method });
      if (!needsTeacher && wantsTeacher) throw new InvalidRequestError(ApiErrorCodes.TEACHER_NOT_USED, `Method ${r.method} takes no teacher.`, { method: r.method });
      const student = await ownModel(ownerId, r.studentId);
      const d = await visibleDataset(ownerId, r.datasetId);
      // teacher: AUTO: the owner's teacher for this dataset and eps if one was trained, else the job trains it first (teachers/auto-teacher.ts).
      const auto = r.autoTeacher ? autoTeacherFromParams(r.params, { datasetId: d.id, datasetName: d.name, eps: r.eps }) : null;
      const params = auto ? auto.methodParams : r.params ? { ...r.params } : r.params;
      const teacher = auto ? await store.autoTeacher(ownerId, auto.spec.key) : r.teacherId ? await ownModel(ownerId, r.teacherId) : null;
      fits(student, d, 'student');
      if (teacher) fits(teacher, d, 'teacher');
      validateMethodParams(r.method, params);
      if (r.evaluation?.attacks) validateAttackNames(r.evaluation.attacks);
      return enqueue(
        'HARDEN',
        { eps: r.eps, epochs: r.epochs, batchSize: r.batchSize, params, evaluation: hardenEvaluation(r.evaluation), name: r.name, ...(auto ? { autoTeacher: auto.spec } : {}) },
        { ownerId, method: r.method, seed: r.seed, modelId: student.id, teacherId: teacher?.id ?? null, datasetId: d.id },
      );
    },

    async evaluateModel(ownerId, r) {
      const model = await ownModel(ownerId, r.modelId);
      const d = await visibleDataset(ownerId, r.datasetId);
      fits(model, d, 'model');
      if (r.attacks) validateAttackNames(r.attacks);
      return enqueue(
        'EVALUATE',
        { eps: [...r.eps], attacks: r.attacks?.map(attackSpec), sampleSize: r.sampleSize },
        { ownerId, method: null, seed: r.seed, modelId: model.id, teacherId: null, datasetId: d.id },
      );
    },

    async cancelJob(ownerId, jobId) {
      const job = await ownJob(ownerId, jobId);
      if (TERMINAL_JOB_STATUSES.includes(job.status)) throw new ConflictError(ApiErrorCodes.JOB_FINISHED, `The job already ended (${job.status}).`, { status: job.status });
      const queued = await store.appendJobEventIf(jobId, ['QUEUED'], 'STATUS', { message: 'Cancelled before it started.' }, { status: 'CANCELLED', cancel_requested: 1, finished_at: new Date().toISOString() });
      if (queued) {
        hub.publish(queued.event, queued.job);
        return queued.job;
      }
      await store.setCancelRequested(jobId);
      supervisor.cancelRunning(jobId);
      return (await store.jobById(jobId))!;
    },

    async deleteModel(ownerId, modelId) {
      await ownModel(ownerId, modelId);
      const using = await store.activeJobsUsingModel(modelId);
      if (using.length > 0) {
        throw new ConflictError(ApiErrorCodes.MODEL_IN_USE, `The model is used by ${using.length} queued or running job(s); cancel them or wait.`, { jobs: using.map((id) => id) });
      }
      // The row and its references go in one transaction; only files nothing else uses are discarded.
      await discardUnreferenced(gc, await store.deleteModel(ownerId, modelId));
    },

    listTokens: (ownerId) => store.listTokens(ownerId),
    createToken: (ownerId, r) => store.mintToken(ownerId, r.label, r.expiresInDays == null ? null : new Date(Date.now() + r.expiresInDays * 86_400_000).toISOString()),
    async revokeToken(ownerId, tokenId) {
      const revoked = await store.revokeToken(ownerId, tokenId);
      if (!revoked) throw new NotFoundError('ApiToken', tokenId);
      forgetTokens(store);
      return revoked;
    },

    subscribeJobProgress(ownerId, jobId, afterSequence) {
      const queue = new AsyncQueue<JobEventRecord>(() => unsubscribe());
      let last = afterSequence;
      let replaying = true;
      const pending: JobEventRecord[] = [];
      const deliver = (e: JobEventRecord, status: JobRecord['status']) => {
        if (e.sequence <= last) return;
        last = e.sequence;
        queue.push(e);
        if (TERMINAL_JOB_STATUSES.includes(status) && e.kind === 'STATUS') queue.end();
      };
      // An event past last + 1 means some never arrived (distributed mode's Redis pub/sub is
      // at-most-once): read them from the store, which has every event, so sequences stay gap-free.
      let catching = false;
      let again = false;
      const catchUp = () => {
        again = true;
        if (catching) return;
        catching = true;
        void (async () => {
          try {
            while (again) {
              again = false;
              for (;;) {
                const stored = await store.jobEvents(jobId, last, 1000);
                for (const e of stored) deliver(e, e.status);
                if (stored.length < 1000) break;
              }
            }
          } catch (e) {
            queue.fail(e);
          } finally {
            catching = false;
          }
        })();
      };
      const live = (e: JobEventRecord, status: JobRecord['status']) => (e.sequence === last + 1 && !catching ? deliver(e, status) : e.sequence > last && catchUp());
      // Listen first, then replay the stored timeline: nothing falls between the two.
      const unsubscribe = hub.onJob(jobId, (e, job) => (replaying ? pending.push(e) : live(e, job.status)));
      void (async () => {
        try {
          const job = await ownJob(ownerId, jobId);
          for (;;) {
            const stored = await store.jobEvents(jobId, last, 1000);
            for (const e of stored) deliver(e, e.status);
            if (stored.length < 1000) break;
          }
          replaying = false;
          for (const e of pending.splice(0)) live(e, e.status);
          const now = await store.jobById(job.id);
          if (now && TERMINAL_JOB_STATUSES.includes(now.status) && last >= now.lastSequence) queue.end();
        } catch (e) {
          queue.fail(e);
        }
      })();
      return queue;
    },

    subscribeJobUpdates(ownerId) {
      const queue = new AsyncQueue<JobEventRecord>(() => unsubscribe());
      const unsubscribe = hub.onOwner(ownerId, (e) => queue.push(e));
      return queue;
    },

    async serverInfo(ownerId) {
      // The viewer's own jobs only: another owner's job ids and how busy the server is for them are theirs.
      const [queued, running] = await Promise.all([store.countJobs('QUEUED', ownerId), store.countJobs('RUNNING', ownerId)]);
      const workers = supervisor.workerInfo();
      const busy = workers.map((w) => w.busyJobId).filter((id): id is string => id != null);
      const own = new Set((await store.jobsByIds(ownerId, busy)).filter((j) => j !== null).map((j) => j!.id));
      return {
        version: o.version,
        nodeVersion: process.version,
        tfjsVersion: supervisor.backend?.tfjsVersion ?? tfjsVersion,
        backend: supervisor.backend?.name ?? null,
        backendReason: supervisor.backend?.reason ?? null,
        backendDetails: supervisor.backend?.details ?? null,
        workers: workers.map((w) => ({ ...w, busyJobId: w.busyJobId != null && own.has(w.busyJobId) ? w.busyJobId : null })),
        queuedJobs: queued,
        runningJobs: running,
        // The engine is part of every build (jobs/run-hardening.ts imports it statically).
        hardeningAvailable: true,
        methods: Object.values(HARDENING_METHODS).map((m) => m.value),
        zooArchitectures: Object.values(ZOO).map((a) => ({ name: a.name, description: a.description })),
        attacks: attackNames(),
      };
    },

    modelFileUrl,
    methodNeedsTeacher,
  };
}

type AttackRequest = { readonly attack: string; readonly config?: Readonly<Record<string, unknown>> | null };
const attackSpec = (a: AttackRequest) => ({ attack: a.attack, config: a.config ? { ...a.config } : a.config });

/** The request's evaluation settings in the stored input's shape (attacks were checked by validateAttackNames). */
function hardenEvaluation(e: HardenModelRequest['evaluation']): JobInput<'HARDEN'>['evaluation'] {
  if (!e) return e;
  // validateAttackNames has accepted a version name ("standard", "plus", "rand") or a list.
  const attacks: unknown = e.attacks;
  return {
    eps: e.eps ? [...e.eps] : e.eps,
    sampleSize: e.sampleSize,
    attacks: typeof attacks === 'string' ? (attacks as AutoAttackVersion) : e.attacks?.map((a) => attackSpec(a as AttackRequest)),
  };
}
