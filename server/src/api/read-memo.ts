import BetterSqlite3 from 'better-sqlite3';

/** Memoizes a read (one store call that returns plain records) under `key`. */
export type ReadMemo = <T>(key: string, load: () => Promise<T>) => Promise<T>;

const MAX_ENTRIES = 2000;

/**
 * Memoizes the API's store reads for as long as the SQLite database has not changed, which SQLite
 * tells exactly and cheaply: `PRAGMA data_version` on a connection of its own changes whenever any
 * other connection commits (the store's, the workers', another process's). Every read asks first
 * (synchronously, microseconds), and any commit anywhere empties the memo, so a read never returns
 * what a fresh query would not: a client that just changed something reads its change. Many clients
 * polling the same lists between writes (job progress lands a few times a second) cost one real
 * query per write instead of one per request.
 *
 * `file` null (a store without such a counter, e.g. PostgreSQL): reads go straight through.
 */
export function openReadMemo(file: string | null): { memo: ReadMemo; close(): void } {
  if (!file) return { memo: (_key, load) => load(), close() {} };
  const probeDb = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  const probe = probeDb.prepare('PRAGMA data_version').pluck();
  let version = -1;
  const entries = new Map<string, Promise<unknown>>();
  const memo: ReadMemo = <T>(key: string, load: () => Promise<T>): Promise<T> => {
    let v: number;
    try {
      v = probe.get() as number;
    } catch {
      entries.clear();
      version = -1;
      return load();
    }
    if (v !== version) {
      entries.clear();
      version = v;
    }
    const hit = entries.get(key) as Promise<T> | undefined;
    if (hit) return hit;
    // Loaded after the probe, so at least as new as `version`; a commit meanwhile changes the
    // version the next read probes, which then does not see this entry.
    const value = load();
    if (entries.size >= MAX_ENTRIES) entries.clear();
    entries.set(key, value);
    value.catch(() => entries.get(key) === value && entries.delete(key));
    return value;
  };
  return { memo, close: () => probeDb.close() };
}
