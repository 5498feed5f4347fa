import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, test } from 'vitest';
import { storeFile } from '../config.ts';
import { hashToken, Store } from '../store/store.ts';

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
