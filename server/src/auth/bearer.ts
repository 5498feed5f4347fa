import type { OwnerRecord } from '@temper/contracts';
import type { Store } from '../store/store.ts';

/** The token of an "Authorization: Bearer <token>" value, or null. */
export function parseBearer(header: string | null | undefined): string | null {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return m ? m[1] : null;
}

const CACHE_MS = 10_000;
const cache = new WeakMap<Store, Map<string, { owner: OwnerRecord | null; until: number }>>();

/**
 * The owner a request's token belongs to; null when there is no token or it is unknown. Lookups
 * are cached for a few seconds per store (every request authenticates; tokens rarely change).
 */
export async function authenticate(store: Store, authorization: string | null | undefined): Promise<OwnerRecord | null> {
  const token = parseBearer(authorization);
  if (!token) return null;
  let byToken = cache.get(store);
  if (!byToken) cache.set(store, (byToken = new Map()));
  const hit = byToken.get(token);
  const now = Date.now();
  if (hit && hit.until > now) return hit.owner;
  const owner = await store.ownerByToken(token);
  if (byToken.size > 10_000) byToken.clear();
  byToken.set(token, { owner, until: now + CACHE_MS });
  return owner;
}

/** Drops the cached lookups of `store` (a token was revoked: it must fail from the next request on). */
export function forgetTokens(store: Store): void {
  cache.delete(store);
}
