import type { Kysely, Migration } from 'kysely';
import type { SqlDialect } from './dialect.ts';

/**
 * Who uses each stored artifact: one row per (content hash, holder), the holder being
 * `model:<id>`, `dataset:<id>` or `edge-check:<id>`. Content addressing shares one file between
 * every record with the same bytes, whoever owns it, so a file may go only when no row names it.
 * Existing rows are backfilled from the records' own file lists.
 */
export const artifactRefs = (_dialect: SqlDialect): Migration => ({
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('artifact_refs')
      .addColumn('hash', 'text', (c) => c.notNull())
      .addColumn('holder', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('artifact_refs_pk', ['hash', 'holder'])
      .execute();
    await db.schema.createIndex('artifact_refs_holder').on('artifact_refs').column('holder').execute();
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const d = db as Kysely<any>;
    const refs: { hash: string; holder: string }[] = [];
    for (const m of await d.selectFrom('models').select(['id', 'files']).execute()) {
      for (const f of JSON.parse(m.files) as { artifact: string }[]) refs.push({ hash: f.artifact, holder: `model:${m.id}` });
    }
    for (const ds of await d.selectFrom('datasets').select(['id', 'files']).execute()) {
      for (const hash of Object.values(JSON.parse(ds.files) as Record<string, string>)) refs.push({ hash, holder: `dataset:${ds.id}` });
    }
    for (const c of await d.selectFrom('edge_checks').select(['id', 'sample_artifact']).execute()) refs.push({ hash: c.sample_artifact, holder: `edge-check:${c.id}` });
    for (let i = 0; i < refs.length; i += 200) {
      await d.insertInto('artifact_refs').values(refs.slice(i, i + 200)).onConflict((oc) => oc.columns(['hash', 'holder']).doNothing()).execute();
    }
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('artifact_refs').execute();
  },
});
