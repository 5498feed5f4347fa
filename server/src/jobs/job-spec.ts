import type { JobRecord } from '@temper/contracts';
import type { Store } from '../store/store.ts';
import { parseJobInput } from './kinds/index.ts';
import type { JobSpec, StoredModelRef } from './protocol.ts';

/**
 * What a worker needs to run a stored job: its input parsed by its kind's schema, its inputs
 * resolved to artifacts. Throws JobDataError on an input of the wrong shape, Error when an input is gone.
 */
export async function jobSpec(store: Store, job: JobRecord): Promise<JobSpec> {
  const [model, teacher] = await store.modelsByIds(job.ownerId, [job.modelId, job.teacherId].filter((x): x is string => x !== null));
  const [dataset] = await store.datasetsByIds(job.ownerId, [job.datasetId]);
  if (!dataset) throw new Error(`dataset ${job.datasetId} is gone`);
  const ref = (m: typeof model): StoredModelRef | null =>
    m ? { id: m.id, name: m.name, files: m.files, preprocessing: m.preprocessing, featureLayer: m.featureLayer, architecture: m.architecture, sha256: m.sha256 } : null;
  if (job.modelId && !model) throw new Error(`model ${job.modelId} is gone`);
  const base = { id: job.id, method: job.method, seed: job.seed, attempt: job.attempts, model: ref(model ?? null), teacher: job.teacherId ? ref(teacher ?? null) : null, dataset };
  switch (job.kind) {
    case 'HARDEN':
      return { ...base, kind: job.kind, input: parseJobInput(job.kind, job.input) };
    case 'EVALUATE':
      return { ...base, kind: job.kind, input: parseJobInput(job.kind, job.input) };
    case 'TRAIN_ZOO':
      return { ...base, kind: job.kind, input: parseJobInput(job.kind, job.input) };
    case 'EDGE_SAMPLE':
      return { ...base, kind: job.kind, input: parseJobInput(job.kind, job.input) };
  }
}

/** The name of the model a job produces: the requested one, else "<student>-<method>" or "<architecture>-<dataset>-seed<n>". */
export function resultModelName(spec: JobSpec, studentName: string | null | undefined, datasetName: string | null | undefined): string {
  if (spec.kind === 'HARDEN') return spec.input.name ?? `${studentName ?? 'model'}-${spec.method}`;
  if (spec.kind === 'TRAIN_ZOO') return spec.input.name ?? `${spec.input.architecture}-${datasetName ?? 'data'}-seed${spec.seed}`;
  return `${studentName ?? 'model'}-${spec.kind.toLowerCase()}`;
}
