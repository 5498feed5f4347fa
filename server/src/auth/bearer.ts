import type { OwnerRecord } from '@temper/schema';
import type { Store } from '../store/store.ts';

/** The token of an "Authorization: Bearer <token>" value, or null. */
export function parseBearer(header: string | null | undefined): string | null {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return m ? m[1] : null;
}

/** The owner a request's token belongs to; null when there is no token or it is unknown. */
export async function authenticate(store: Store, authorization: string | null | undefined): Promise<OwnerRecord | null> {
  const token = parseBearer(authorization);
  return token ? store.ownerByToken(token) : null;
}
