import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, test } from 'vitest';
import { storeFile } from '../config.ts';
import { hashToken, Store } from '../store/store.ts';
import { ensureInitialOwner } from './bootstrap.ts';

test('`npm run token -- create <owner>` mints a working token, stored only as its hash', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'temper-token-'));
  try {
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    const out = execFileSync(process.execPath, ['--import', tsx, new URL('./token-cli.ts', import.meta.url).pathname, 'create', 'carol', '--label', 'ci'], { env: { ...process.env, TEMPER_DATA_DIR: dir }, encoding: 'utf8' });
    const token = /tmp_[\w-]{43}/.exec(out)![0];
    const store = await Store.open(storeFile(dir));
    try {
      expect((await store.ownerByToken(token))?.name).toBe('carol');
      const rows = await store.db.selectFrom('api_tokens').selectAll().execute();
      expect(rows).toHaveLength(1);
      expect(rows[0].token_hash).toBe(hashToken(token));
      expect(JSON.stringify(rows)).not.toContain(token);
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

function tokenCli(args: string[], env: Record<string, string>, cwd?: string) {
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  return spawnSync(process.execPath, ['--import', tsx, new URL('./token-cli.ts', import.meta.url).pathname, ...args], { env: { ...process.env, ...env }, encoding: 'utf8', cwd });
}

test('`reset owner` recovers a lost owner token; reset of an unknown owner exits 2 and creates nobody', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'temper-token-'));
  try {
    const store = await Store.open(storeFile(dir));
    const first = await ensureInitialOwner(store);
    await store.close();
    expect(first?.owner).toBe('owner');

    const r = tokenCli(['reset', 'owner'], { TEMPER_DATA_DIR: dir });
    expect(r.status).toBe(0);
    const token = /tmp_[\w-]{43}/.exec(r.stdout)![0];
    expect(token).not.toBe(first!.token);
    const typo = tokenCli(['reset', 'ownr'], { TEMPER_DATA_DIR: dir });
    expect(typo.status).toBe(2);
    expect(typo.stderr.trim()).toBe(`No owner "ownr" in ${storeFile(dir)}; \`create ownr\` makes a new owner.`);

    const after = await Store.open(storeFile(dir));
    try {
      expect((await after.ownerByToken(token))?.name).toBe('owner');
      expect(await after.ownerCount()).toBe(1);
    } finally {
      await after.close();
    }
    // A wrong data directory is named, not silently created.
    const nowhere = tokenCli(['reset', 'owner'], { TEMPER_DATA_DIR: join(dir, 'missing') });
    expect(nowhere.status).toBe(2);
    expect(nowhere.stderr).toContain(`No Temper store at ${join(dir, 'missing', 'temper.sqlite')}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a relative TEMPER_DATA_DIR means the directory npm was run from (INIT_CWD), not the script folder', async () => {
  const user = mkdtempSync(join(tmpdir(), 'temper-user-'));
  const elsewhere = mkdtempSync(join(tmpdir(), 'temper-script-'));
  try {
    // npm runs the script in server/ (here: elsewhere) and records where the user was in INIT_CWD.
    const r = tokenCli(['create', 'dana'], { TEMPER_DATA_DIR: 'rel-data', INIT_CWD: user }, elsewhere);
    expect(r.status).toBe(0);
    expect(existsSync(join(user, 'rel-data', 'temper.sqlite'))).toBe(true);
    expect(existsSync(join(elsewhere, 'rel-data'))).toBe(false);
  } finally {
    rmSync(user, { recursive: true, force: true });
    rmSync(elsewhere, { recursive: true, force: true });
  }
});
