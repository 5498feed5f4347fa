import type { Store } from '../store/store.ts';

export const INITIAL_OWNER = 'owner';

/**
 * On the very first start (no owners yet) creates the owner "owner" and a token for it, and returns
 * the token so that the caller can print it once; it is stored only as a hash. Later starts: null.
 */
export async function ensureInitialOwner(store: Store): Promise<{ owner: string; token: string } | null> {
  if ((await store.ownerCount()) > 0) return null;
  const owner = await store.ensureOwner(INITIAL_OWNER);
  return { owner: owner.name, token: await store.createToken(owner.id, 'created on first start') };
}
