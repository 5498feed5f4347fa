#!/usr/bin/env -S npx tsx
/**
 * npm run token -- create <owner> [--label text] [--expires-days N]
 * npm run token -- reset <owner> [--label text] [--expires-days N]
 * npm run token -- list <owner>
 * npm run token -- revoke <owner> <token id>
 *
 * `create` mints an API token for the owner (creating the owner if new); `reset` mints one for an
 * owner that must already exist (the way back to a lost first-start token: `reset owner`), so a
 * typo cannot create a stray owner. `list` shows the owner's tokens (ids, labels, expiry; never the
 * secrets) and `revoke` deletes one. All use the server's store (TEMPER_DATA_DIR, relative to the
 * directory npm was run from, default ./data; in distributed mode TEMPER_DATABASE_URL). Safe while
 * the server runs (SQLite WAL; PostgreSQL); a running server notices a revocation within 10 s (its
 * token cache), at once when revoked through the API (`revokeToken`).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadDistributedConfig, resolveDataDir, storeFile } from '../config.ts';
import { Store } from '../store/store.ts';

const USAGE = `Usage: npm run token -- create <owner> [--label text] [--expires-days N]   (creates the owner if new)
       npm run token -- reset <owner> [--label text] [--expires-days N]    (a new token for an existing owner, e.g. a lost "owner" token)
       npm run token -- list <owner>                                       (ids, labels, expiry; never the secrets)
       npm run token -- revoke <owner> <token id>`;

/** A usage or lookup problem: its message alone, exit code 2 (a crash prints its stack, exit 1). */
class TokenCliError extends Error {}

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { label: { type: 'string' }, 'expires-days': { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) return void console.log(USAGE);
  const [command, owner, ...extra] = positionals;
  if (!['create', 'reset', 'list', 'revoke'].includes(command) || !owner || extra.length !== (command === 'revoke' ? 1 : 0)) throw new TokenCliError(USAGE);
  const days = values['expires-days'];
  if (days !== undefined && !(/^\d+$/.test(days) && Number(days) >= 1 && Number(days) <= 3650)) throw new TokenCliError(`--expires-days takes a whole number of days from 1 to 3650; got "${days}".`);
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
    if (command === 'list' || command === 'revoke') {
      const existing = await store.db.selectFrom('owners').select('id').where('name', '=', owner).executeTakeFirst();
      if (!existing) throw new TokenCliError(`No owner "${owner}" in ${distributed ? 'the PostgreSQL store' : storeFile(dataDir)}.`);
      if (command === 'revoke') {
        const revoked = await store.revokeToken(existing.id, extra[0]);
        if (!revoked) throw new TokenCliError(`Owner "${owner}" has no token ${extra[0]} (\`list ${owner}\` shows the ids).`);
        return void console.log(`Revoked token ${revoked.id}${revoked.label ? ` (${revoked.label})` : ''} of owner "${owner}".`);
      }
      for (const t of await store.listTokens(existing.id)) console.log(`${t.id}  created ${t.createdAt}  ${t.expiresAt ? `expires ${t.expiresAt}` : 'never expires'}  ${t.label ?? ''}`.trimEnd());
      return;
    }
    if (command === 'reset') {
      // Looked up, not ensured: a typo must not leave a new owner behind.
      const existing = await store.db.selectFrom('owners').select('id').where('name', '=', owner).executeTakeFirst();
      if (!existing) throw new TokenCliError(`No owner "${owner}" in ${distributed ? 'the PostgreSQL store' : storeFile(dataDir)}; \`create ${owner}\` makes a new owner.`);
    }
    const o = await store.ensureOwner(owner);
    const expiresAt = days === undefined ? null : new Date(Date.now() + Number(days) * 86_400_000).toISOString();
    const token = await store.createToken(o.id, values.label ?? (command === 'reset' ? 'reset from the command line' : null), expiresAt);
    console.log(`API token for owner "${o.name}" (shown once; send it as "Authorization: Bearer <token>"):\n${token}`);
    if (expiresAt) console.log(`It expires at ${expiresAt}.`);
    if (command === 'reset') console.log(`Earlier tokens of this owner stay valid (\`list ${o.name}\`, \`revoke ${o.name} <id>\`).`);
  } finally {
    await store.close();
  }
}

main().catch((e) => {
  console.error(e instanceof TokenCliError ? e.message : e instanceof Error ? (e.stack ?? e.message) : String(e));
  process.exitCode = e instanceof TokenCliError ? 2 : 1;
});
