#!/usr/bin/env -S npx tsx
/**
 * npm run token -- create <owner> [--label text]
 * npm run token -- reset <owner> [--label text]
 *
 * `create` mints an API token for the owner (creating the owner if new); `reset` mints one for an
 * owner that must already exist (the way back to a lost first-start token: `reset owner`), so a
 * typo cannot create a stray owner. Both use the server's store (TEMPER_DATA_DIR, relative to the
 * directory npm was run from, default ./data; in distributed mode TEMPER_DATABASE_URL) and print
 * the token once. Safe while the server runs (SQLite WAL; PostgreSQL).
 *
 * Earlier tokens stay valid: listing, revoking and expiring tokens come with the store's token
 * functions, not here.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadDistributedConfig, resolveDataDir, storeFile } from '../config.ts';
import { Store } from '../store/store.ts';

const USAGE = `Usage: npm run token -- create <owner> [--label text]   (creates the owner if new)
       npm run token -- reset <owner> [--label text]    (a new token for an existing owner, e.g. a lost "owner" token)`;

/** A usage or lookup problem: its message alone, exit code 2 (a crash prints its stack, exit 1). */
class TokenCliError extends Error {}

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { label: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) return void console.log(USAGE);
  const [command, owner, ...extra] = positionals;
  if ((command !== 'create' && command !== 'reset') || !owner || extra.length) throw new TokenCliError(USAGE);
  if (!/^[\w.@-]{1,100}$/.test(owner)) throw new TokenCliError(`Owner names are 1-100 letters, digits, "_", ".", "@" or "-"; got "${owner}".\n${USAGE}`);
  const distributed = loadDistributedConfig();
  const dataDir = resolveDataDir();
  if (!distributed) {
    // reset on a data directory that does not exist is a wrong TEMPER_DATA_DIR, not a fresh start.
    if (command === 'reset' && !existsSync(storeFile(dataDir))) throw new TokenCliError(`No Temper store at ${storeFile(dataDir)}: set TEMPER_DATA_DIR to the server's data directory.`);
    mkdirSync(dataDir, { recursive: true });
  }
  const store = distributed ? await Store.openPostgres(distributed.databaseUrl, { poolSize: 2 }) : await Store.open(storeFile(dataDir));
  try {
    if (command === 'reset') {
      // Looked up, not ensured: a typo must not leave a new owner behind.
      const existing = await store.db.selectFrom('owners').select('id').where('name', '=', owner).executeTakeFirst();
      if (!existing) throw new TokenCliError(`No owner "${owner}" in ${distributed ? 'the PostgreSQL store' : storeFile(dataDir)}; \`create ${owner}\` makes a new owner.`);
    }
    const o = await store.ensureOwner(owner);
    const token = await store.createToken(o.id, values.label ?? (command === 'reset' ? 'reset from the command line' : null));
    console.log(`API token for owner "${o.name}" (shown once; send it as "Authorization: Bearer <token>"):\n${token}`);
    if (command === 'reset') console.log('Earlier tokens of this owner stay valid.');
  } finally {
    await store.close();
  }
}

main().catch((e) => {
  console.error(e instanceof TokenCliError ? e.message : e instanceof Error ? (e.stack ?? e.message) : String(e));
  process.exitCode = e instanceof TokenCliError ? 2 : 1;
});
