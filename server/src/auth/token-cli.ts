#!/usr/bin/env -S npx tsx
/**
 * npm run token -- create <owner> [--label text]
 *
 * Mints an API token for the owner (creating the owner if new) in the server's store
 * (TEMPER_DATA_DIR, default ./data; in distributed mode TEMPER_DATABASE_URL) and prints it once.
 * Safe while the server runs (SQLite WAL; PostgreSQL).
 */
import { parseArgs } from 'node:util';
import { loadDistributedConfig, resolveDataDir, storeFile } from '../config.ts';
import { Store } from '../store/store.ts';
import { mkdirSync } from 'node:fs';

const USAGE = 'Usage: npm run token -- create <owner> [--label text]';

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { label: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) return void console.log(USAGE);
  const [command, owner] = positionals;
  if (command !== 'create' || !owner || !/^[\w.@-]{1,100}$/.test(owner)) throw new Error(USAGE);
  const distributed = loadDistributedConfig();
  const dataDir = resolveDataDir();
  if (!distributed) mkdirSync(dataDir, { recursive: true });
  const store = distributed ? await Store.openPostgres(distributed.databaseUrl, { poolSize: 2 }) : await Store.open(storeFile(dataDir));
  try {
    const o = await store.ensureOwner(owner);
    const token = await store.createToken(o.id, values.label ?? null);
    console.log(`API token for owner "${o.name}" (shown once; send it as "Authorization: Bearer <token>"):\n${token}`);
  } finally {
    await store.close();
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exitCode = 1;
});
