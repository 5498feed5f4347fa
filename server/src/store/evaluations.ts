import { randomUUID } from 'node:crypto';
import type { EvaluationRecord } from '@temper/contracts';
import type { Kysely } from 'kysely';
import { now } from './clock.ts';
import { byIds, evaluationRecord } from './rows.ts';
import type { Database } from './tables.ts';

export type NewEvaluation = Omit<EvaluationRecord, 'id' | 'createdAt'> & { id?: string };

export async function insertEvaluation(db: Kysely<Database>, e: NewEvaluation): Promise<EvaluationRecord> {
  const row = {
    id: e.id ?? randomUUID(),
    owner_id: e.ownerId,
    model_id: e.modelId,
    dataset_id: e.datasetId,
    job_id: e.jobId,
    clean_accuracy: e.cleanAccuracy,
    report: JSON.stringify(e.report),
    created_at: now(),
  };
  await db.insertInto('evaluations').values(row).execute();
  return evaluationRecord(row);
}

export async function evaluationsByIds(db: Kysely<Database>, ownerId: string, ids: readonly string[]): Promise<(EvaluationRecord | null)[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('evaluations').selectAll().where('owner_id', '=', ownerId).where('id', 'in', [...ids]).execute();
  return byIds(ids, rows.map(evaluationRecord));
}

export async function evaluationIdsByModelIds(db: Kysely<Database>, ownerId: string, modelIds: readonly string[]): Promise<string[][]> {
  if (modelIds.length === 0) return [];
  const rows = await db
    .selectFrom('evaluations')
    .select(['id', 'model_id'])
    .where('owner_id', '=', ownerId)
    .where('model_id', 'in', [...modelIds])
    .orderBy('created_at', 'desc')
    .execute();
  return modelIds.map((m) => rows.filter((r) => r.model_id === m).map((r) => r.id));
}
