import { randomUUID } from 'node:crypto';
import type { JobStatus, ModelFilter, ModelRecord, Page } from '@temper/contracts';
import type { Kysely } from 'kysely';
import { addRefs, unreferenced } from './artifact-refs.ts';
import { now } from './clock.ts';
import { byIds, modelRecord } from './rows.ts';
import type { Database } from './tables.ts';
import { inTransaction } from './transaction.ts';

export type NewModel = Omit<ModelRecord, 'id' | 'createdAt'> & { id?: string };

const ACTIVE: JobStatus[] = ['QUEUED', 'RUNNING'];

export async function insertModel(db: Kysely<Database>, m: NewModel): Promise<ModelRecord> {
  const row = {
    id: m.id ?? randomUUID(),
    owner_id: m.ownerId,
    name: m.name,
    source: m.source,
    format: m.format,
    producer: m.producer,
    input_shape: JSON.stringify(m.inputShape),
    num_classes: m.numClasses,
    parameter_count: m.parameterCount,
    sha256: m.sha256,
    feature_layer: m.featureLayer,
    outputs_were_softmax: m.outputsWereSoftmax ? 1 : 0,
    preprocessing: JSON.stringify(m.preprocessing ?? null),
    architecture: m.architecture,
    files: JSON.stringify(m.files),
    warnings: JSON.stringify(m.warnings),
    created_by_job_id: m.createdByJobId,
    created_at: now(),
    auto_teacher_key: m.autoTeacherKey ?? null,
    metadata: m.metadata ? JSON.stringify(m.metadata) : null,
  };
  await inTransaction(db, async (trx) => {
    await trx.insertInto('models').values(row).execute();
    await addRefs(trx, `model:${row.id}`, m.files.map((f) => f.artifact));
  });
  return modelRecord(row);
}

export async function modelBySha256(db: Kysely<Database>, ownerId: string, sha256: string, producer: string): Promise<ModelRecord | null> {
  const row = await db.selectFrom('models').selectAll().where('owner_id', '=', ownerId).where('sha256', '=', sha256).where('producer', '=', producer).executeTakeFirst();
  return row ? modelRecord(row) : null;
}

/** The owner's newest teacher trained for `key` (teacher: AUTO), or null: two jobs that trained one at once leave two, and the newer wins. */
export async function autoTeacher(db: Kysely<Database>, ownerId: string, key: string): Promise<ModelRecord | null> {
  const row = await db.selectFrom('models').selectAll().where('owner_id', '=', ownerId).where('auto_teacher_key', '=', key).orderBy('created_at', 'desc').orderBy('id', 'desc').executeTakeFirst();
  return row ? modelRecord(row) : null;
}

export async function modelsByIds(db: Kysely<Database>, ownerId: string, ids: readonly string[]): Promise<(ModelRecord | null)[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('models').selectAll().where('owner_id', '=', ownerId).where('id', 'in', [...ids]).execute();
  return byIds(ids, rows.map(modelRecord));
}

export async function listModels(db: Kysely<Database>, ownerId: string, filter: ModelFilter, page: Page): Promise<ModelRecord[]> {
  let q = db.selectFrom('models').selectAll().where('owner_id', '=', ownerId);
  if (filter.source?.length) q = q.where('source', 'in', [...filter.source]);
  const rows = await q.orderBy('created_at', 'desc').orderBy('id').limit(page.limit).offset(page.offset).execute();
  return rows.map(modelRecord);
}

export async function activeJobsUsingModel(db: Kysely<Database>, modelId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('jobs')
    .select('id')
    .where('status', 'in', ACTIVE)
    .where((eb) => eb.or([eb('model_id', '=', modelId), eb('teacher_id', '=', modelId)]))
    .execute();
  return rows.map((r) => r.id);
}

export async function deleteModel(db: Kysely<Database>, ownerId: string, id: string): Promise<string[]> {
  return db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('models').select('files').where('id', '=', id).where('owner_id', '=', ownerId).executeTakeFirst();
    if (!row) return [];
    await trx.deleteFrom('models').where('id', '=', id).execute();
    const holder = `model:${id}`;
    await trx.deleteFrom('artifact_refs').where('holder', '=', holder).execute();
    return unreferenced(trx, (JSON.parse(row.files) as { artifact: string }[]).map((f) => f.artifact));
  });
}

export async function modelExists(db: Kysely<Database>, ownerId: string, id: string): Promise<boolean> {
  return (await db.selectFrom('models').select('id').where('id', '=', id).where('owner_id', '=', ownerId).executeTakeFirst()) !== undefined;
}
