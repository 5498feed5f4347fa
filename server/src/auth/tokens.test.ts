import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { storeFile } from '../config.ts';
import { gql, startTestServer } from '../api/testing/server.ts';
import { Store } from '../store/store.ts';

/** Issue 13, point 8: tokens can be listed, revoked and given an expiry, through GraphQL and `npm run token`. */

let s: Awaited<ReturnType<typeof startTestServer>>;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s.dispose());

const viewer = (token: string) => gql(s.yoga, token, `{ viewer { name tokens { id label expiresAt } } }`);

test('createToken mints a working token with a label and an expiry; revokeToken stops it at once', async () => {
  const created = await gql(s.yoga, s.token, `mutation { createToken(input: { label: "ci", expiresInDays: 30 }) { token apiToken { id label expiresAt } } }`);
  const { token, apiToken } = created.data!.createToken;
  expect(token).toMatch(/^tmp_/);
  expect(Date.parse(apiToken.expiresAt) - Date.now()).toBeGreaterThan(29 * 86_400_000);
  expect((await viewer(token)).data!.viewer.name).toBe('owner');
  const listed = (await viewer(s.token)).data!.viewer.tokens;
  expect(listed.map((t: { id: string }) => t.id)).toContain(apiToken.id);
  expect(JSON.stringify(listed)).not.toContain(token);
  const revoked = await gql(s.yoga, s.token, `mutation($id: ID!) { revokeToken(id: $id) { __typename ... on MutationRevokeTokenSuccess { data { id } } ... on DomainError { code } } }`, { id: apiToken.id });
  expect(revoked.data!.revokeToken.data.id).toBe(apiToken.id);
  expect((await viewer(token)).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
});

test("another owner's token id is NOT_FOUND, and stays valid", async () => {
  const bobToken = await s.store.createToken((await s.store.ensureOwner('bob')).id, 'bob');
  const [bobsId] = (await viewer(bobToken)).data!.viewer.tokens.map((t: { id: string }) => t.id);
  const r = await gql(s.yoga, s.token, `mutation($id: ID!) { revokeToken(id: $id) { __typename ... on DomainError { code } } }`, { id: bobsId });
  expect(r.data!.revokeToken).toEqual({ __typename: 'NotFoundError', code: 'NOT_FOUND' });
  expect((await viewer(bobToken)).data!.viewer.name).toBe('bob');
});

test('an expired token is refused', async () => {
  const owner = await s.store.ensureOwner('dave');
  const token = await s.store.createToken(owner.id, null, new Date(Date.now() - 1000).toISOString());
  expect(await s.store.ownerByToken(token)).toBeNull();
});

test('`npm run token -- create --expires-days`, `list` and `revoke`', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'temper-token-'));
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', tsx, new URL('./token-cli.ts', import.meta.url).pathname, ...args], { env: { ...process.env, TEMPER_DATA_DIR: dir }, encoding: 'utf8' });
  try {
    const created = cli('create', 'erin', '--label', 'laptop', '--expires-days', '7');
    expect(created.status, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/expires at \d{4}-/);
    const token = /tmp_[\w-]{43}/.exec(created.stdout)![0];
    const list = cli('list', 'erin');
    expect(list.status).toBe(0);
    const [id] = list.stdout.trim().split(/\s+/);
    expect(list.stdout).toContain('laptop');
    expect(list.stdout).not.toContain(token);
    expect(cli('revoke', 'erin', 'no-such-id').status).toBe(2);
    expect(cli('create', 'erin', '--expires-days', 'soon').status).toBe(2);
    const revoked = cli('revoke', 'erin', id);
    expect(revoked.status, revoked.stderr).toBe(0);
    const store = await Store.open(storeFile(dir));
    try {
      expect(await store.ownerByToken(token)).toBeNull();
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
