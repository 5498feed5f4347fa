import type { JobRecord } from '@temper/contracts';
import type { Store } from '../store/store.ts';
import type { JobSpec, StoredModelRef } from './protocol.ts';

/** What a worker needs to run a stored job: its inputs resolved to artifacts. Throws when an input is gone. */
export async function jobSpec(store: Store, job: JobRecord): Promise<JobSpec> {
  const [model, teacher] = await store.modelsByIds(job.ownerId, [job.modelId, job.teacherId].filter((x): x is string => x !== null));
  const [dataset] = await store.datasetsByIds(job.ownerId, [job.datasetId]);
  if (!dataset) throw new Error(`dataset ${job.datasetId} is gone`);
  const ref = (m: typeof model): StoredModelRef | null =>
    m ? { id: m.id, name: m.name, files: m.files, preprocessing: m.preprocessing, featureLayer: m.featureLayer, architecture: m.architecture, sha256: m.sha256 } : null;
  if (job.modelId && !model) throw new Error(`model ${job.modelId} is gone`);
  return { id: job.id, kind: job.kind, method: job.method, seed: job.seed, input: job.input, attempt: job.attempts, model: ref(model ?? null), teacher: job.teacherId ? ref(teacher ?? null) : null, dataset };
}

/** The name of the model a job produces: the requested one, else "<student>-<method>" or "<architecture>-<dataset>-seed<n>". */
export function resultModelName(job: JobRecord, studentName: string | null | undefined, datasetName: string | null | undefined): string {
  const input = job.input as { name?: string | null; architecture?: string };
  return input.name ?? (job.kind === 'HARDEN' ? `${studentName ?? 'model'}-${job.method}` : `${input.architecture}-${datasetName ?? 'data'}-seed${job.seed}`);
}
