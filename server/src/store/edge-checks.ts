import { randomUUID } from 'node:crypto';
import type { EdgeCheckRecord, EdgeReportRecord, Page } from '@temper/contracts';
import type { Kysely } from 'kysely';
import { addRefs } from './artifact-refs.ts';
import { now } from './clock.ts';
import { byIds, edgeCheckRecord, edgeReportRecord } from './rows.ts';
import type { Database } from './tables.ts';

export type NewEdgeCheck = Omit<EdgeCheckRecord, 'id' | 'createdAt' | 'status'>;
export type NewEdgeReport = Omit<EdgeReportRecord, 'id' | 'createdAt'> & { status?: EdgeCheckRecord['status'] };

export async function insertEdgeCheck(db: Kysely<Database>, c: NewEdgeCheck): Promise<EdgeCheckRecord> {
  const row = {
    id: randomUUID(),
    owner_id: c.ownerId,
    model_id: c.modelId,
    dataset_id: c.datasetId,
    surrogate_ids: JSON.stringify(c.surrogateIds),
    settings: JSON.stringify(c.settings),
    sample_artifact: c.sampleArtifact,
    model_sha256: c.modelSha256,
    status: 'PENDING',
    created_at: now(),
  };
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('edge_checks').values(row).execute();
    await addRefs(trx, `edge-check:${row.id}`, [row.sample_artifact]);
  });
  return edgeCheckRecord(row);
}

export async function edgeChecksByIds(db: Kysely<Database>, ownerId: string, ids: readonly string[]): Promise<(EdgeCheckRecord | null)[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('edge_checks').selectAll().where('owner_id', '=', ownerId).where('id', 'in', [...ids]).execute();
  return byIds(ids, rows.map(edgeCheckRecord));
}

export async function listEdgeChecks(db: Kysely<Database>, ownerId: string, page: Page): Promise<EdgeCheckRecord[]> {
  const rows = await db.selectFrom('edge_checks').selectAll().where('owner_id', '=', ownerId).orderBy('created_at', 'desc').orderBy('id').limit(page.limit).offset(page.offset).execute();
  return rows.map(edgeCheckRecord);
}

export async function edgeReportsByCheckIds(db: Kysely<Database>, ownerId: string, checkIds: readonly string[]): Promise<EdgeReportRecord[][]> {
  if (checkIds.length === 0) return [];
  const rows = await db
    .selectFrom('edge_reports')
    .selectAll()
    .where('owner_id', '=', ownerId)
    .where('check_id', 'in', [...checkIds])
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const records = rows.map(edgeReportRecord);
  return checkIds.map((id) => records.filter((r) => r.checkId === id));
}

export async function insertEdgeReport(db: Kysely<Database>, r: NewEdgeReport): Promise<EdgeCheckRecord> {
  return db.transaction().execute(async (trx) => {
    await trx
      .insertInto('edge_reports')
      .values({
        id: randomUUID(),
        check_id: r.checkId,
        owner_id: r.ownerId,
        backend: r.backend,
        agreement_rate: r.agreementRate,
        flags: JSON.stringify(r.flags),
        report: JSON.stringify(r.report),
        created_at: now(),
      })
      .execute();
    await trx.updateTable('edge_checks').set({ status: r.status ?? (r.flags.length > 0 ? 'FLAGGED' : 'PASSED') }).where('id', '=', r.checkId).execute();
    return edgeCheckRecord(await trx.selectFrom('edge_checks').selectAll().where('id', '=', r.checkId).executeTakeFirstOrThrow());
  });
}
