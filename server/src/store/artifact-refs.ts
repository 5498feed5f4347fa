import type { Kysely } from 'kysely';
import type { Database } from './tables.ts';

/** Records that `holder` uses each of `hashes` (written with the holder's row, in its transaction). */
export async function addRefs(trx: Kysely<Database>, holder: string, hashes: readonly string[]): Promise<void> {
  const unique = [...new Set(hashes)];
  if (unique.length === 0) return;
  await trx.insertInto('artifact_refs').values(unique.map((hash) => ({ hash, holder }))).onConflict((oc) => oc.columns(['hash', 'holder']).doNothing()).execute();
}

/** Of `hashes`, those no holder references (read in the caller's transaction). */
export async function unreferenced(trx: Kysely<Database>, hashes: readonly string[]): Promise<string[]> {
  const unique = [...new Set(hashes)];
  if (unique.length === 0) return [];
  const still = new Set((await trx.selectFrom('artifact_refs').select('hash').where('hash', 'in', unique).execute()).map((r) => r.hash));
  return unique.filter((h) => !still.has(h));
}

/** Of `hashes`, those some model, dataset or edge check references. */
export async function referencedArtifacts(db: Kysely<Database>, hashes: readonly string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (let i = 0; i < hashes.length; i += 500) {
    const rows = await db.selectFrom('artifact_refs').select('hash').distinct().where('hash', 'in', hashes.slice(i, i + 500)).execute();
    for (const r of rows) out.add(r.hash);
  }
  return out;
}
