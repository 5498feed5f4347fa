import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { ApiTokenRecord, OwnerRecord } from '@temper/contracts';
import type { Kysely } from 'kysely';
import { now } from './clock.ts';
import { ownerRecord } from './rows.ts';
import type { Database } from './tables.ts';

/** API tokens: "tmp_" + 32 random bytes, base64url. Only their sha256 is stored. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export async function ownerIds(db: Kysely<Database>): Promise<string[]> {
  return (await db.selectFrom('owners').select('id').orderBy('created_at').execute()).map((r) => r.id);
}

export async function ownerCount(db: Kysely<Database>): Promise<number> {
  const r = await db.selectFrom('owners').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function ensureOwner(db: Kysely<Database>, name: string): Promise<OwnerRecord> {
  const existing = await db.selectFrom('owners').selectAll().where('name', '=', name).executeTakeFirst();
  if (existing) return ownerRecord(existing);
  const row = { id: randomUUID(), name, created_at: now() };
  await db.insertInto('owners').values(row).execute();
  return ownerRecord(row);
}

export async function mintToken(db: Kysely<Database>, ownerId: string, label: string | null, expiresAt: string | null): Promise<{ token: string; record: ApiTokenRecord }> {
  const token = `tmp_${randomBytes(32).toString('base64url')}`;
  const row = { id: randomUUID(), owner_id: ownerId, token_hash: hashToken(token), label, created_at: now(), last_used_at: null, expires_at: expiresAt };
  await db.insertInto('api_tokens').values(row).execute();
  return { token, record: { id: row.id, label, createdAt: row.created_at, expiresAt } };
}

export async function listTokens(db: Kysely<Database>, ownerId: string): Promise<ApiTokenRecord[]> {
  const rows = await db.selectFrom('api_tokens').select(['id', 'label', 'created_at', 'expires_at']).where('owner_id', '=', ownerId).orderBy('created_at', 'desc').orderBy('id').execute();
  return rows.map((r) => ({ id: r.id, label: r.label, createdAt: r.created_at, expiresAt: r.expires_at }));
}

export async function revokeToken(db: Kysely<Database>, ownerId: string, id: string): Promise<ApiTokenRecord | null> {
  const row = await db.deleteFrom('api_tokens').where('id', '=', id).where('owner_id', '=', ownerId).returning(['id', 'label', 'created_at', 'expires_at']).executeTakeFirst();
  return row ? { id: row.id, label: row.label, createdAt: row.created_at, expiresAt: row.expires_at } : null;
}

export async function ownerByToken(db: Kysely<Database>, token: string): Promise<OwnerRecord | null> {
  const row = await db
    .selectFrom('api_tokens')
    .innerJoin('owners', 'owners.id', 'api_tokens.owner_id')
    .select(['owners.id', 'owners.name', 'owners.created_at'])
    .where('api_tokens.token_hash', '=', hashToken(token))
    .where((eb) => eb.or([eb('api_tokens.expires_at', 'is', null), eb('api_tokens.expires_at', '>', now())]))
    .executeTakeFirst();
  return row ? ownerRecord(row) : null;
}
