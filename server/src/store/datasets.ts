import { randomUUID } from 'node:crypto';
import type { DatasetRecord, Page } from '@temper/contracts';
import type { Kysely } from 'kysely';
import { addRefs } from './artifact-refs.ts';
import { now } from './clock.ts';
import { byIds, datasetRecord } from './rows.ts';
import type { Database } from './tables.ts';

export type NewDataset = Omit<DatasetRecord, 'id' | 'createdAt'> & { id?: string };

export async function insertDataset(db: Kysely<Database>, d: NewDataset): Promise<DatasetRecord> {
  const row = {
    id: d.id ?? randomUUID(),
    owner_id: d.ownerId,
    name: d.name,
    source: d.source,
    format: d.format,
    builtin_name: d.builtinName,
    files: JSON.stringify(d.files),
    height: d.height,
    width: d.width,
    channels: d.channels,
    num_classes: d.numClasses,
    count: d.count,
    class_names: d.classNames ? JSON.stringify(d.classNames) : null,
    train_size: d.trainSize,
    test_size: d.testSize,
    created_at: now(),
  };
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('datasets').values(row).execute();
    await addRefs(trx, `dataset:${row.id}`, Object.values(d.files));
  });
  return datasetRecord(row);
}

export async function builtinDataset(db: Kysely<Database>, name: string): Promise<DatasetRecord | null> {
  const row = await db.selectFrom('datasets').selectAll().where('owner_id', 'is', null).where('builtin_name', '=', name).executeTakeFirst();
  return row ? datasetRecord(row) : null;
}

export async function datasetsByIds(db: Kysely<Database>, ownerId: string, ids: readonly string[]): Promise<(DatasetRecord | null)[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('datasets')
    .selectAll()
    .where('id', 'in', [...ids])
    .where((eb) => eb.or([eb('owner_id', '=', ownerId), eb('owner_id', 'is', null)]))
    .execute();
  return byIds(ids, rows.map(datasetRecord));
}

export async function listDatasets(db: Kysely<Database>, ownerId: string, page: Page): Promise<DatasetRecord[]> {
  const rows = await db
    .selectFrom('datasets')
    .selectAll()
    .where((eb) => eb.or([eb('owner_id', '=', ownerId), eb('owner_id', 'is', null)]))
    .orderBy((eb) => eb.case().when('owner_id', 'is', null).then(0).else(1).end())
    .orderBy('created_at')
    .orderBy('id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return rows.map(datasetRecord);
}
