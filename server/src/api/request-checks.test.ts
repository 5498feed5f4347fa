import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createTemperServer } from './app.ts';
import { uploadTinyModel } from './testing/fixtures.ts';
import { gql, startTestServer } from './testing/server.ts';
import { sse } from './testing/sse.ts';

/** Issue 13, point 8: requests that used to fail late, untyped or across owners now fail at once, typed. */

let s: Awaited<ReturnType<typeof startTestServer>>;
let bob: string;
let model: string;
let mnist: string;
beforeAll(async () => {
  s = await startTestServer();
  bob = await s.store.createToken((await s.store.ensureOwner('bob')).id);
  model = await uploadTinyModel(s.yoga, s.token);
  const q = await gql(s.yoga, s.token, `{ viewer { datasets { edges { node { id name } } } } }`);
  mnist = q.data!.viewer.datasets.edges.find((e: any) => e.node.name === 'mnist').node.id;
});
afterAll(() => s.dispose());

const harden = (token: string, extra: string, vars: Record<string, unknown> = {}) =>
  gql(s.yoga, token, `mutation($m: ID!, $d: ID!, $p: JSON${extra.includes('$a') ? ', $a: JSON' : ''}) { r: hardenModel(input: { method: PGD_AT, student: $m, dataset: $d, eps: 0.1, epochs: 1, params: $p ${extra} }) { __typename ... on DomainError { code message details } ... on MutationHardenModelSuccess { data { id } } } }`, { m: model, d: mnist, ...vars });

test('jobProgress on an unknown id ends with NOT_FOUND, as for another owner\'s job', async () => {
  const unknown = encodeGlobalID('HardeningJob', '00000000-0000-4000-8000-000000000000');
  const r = await sse(s.yoga, s.token, `subscription($id: ID!) { jobProgress(id: $id) { sequence } }`, { id: unknown }, { timeoutMs: 10_000 });
  expect(r.events[0]?.errors?.[0]?.extensions?.code, JSON.stringify(r.events)).toBe('NOT_FOUND');
  const own = await harden(s.token, '');
  const foreign = await sse(s.yoga, bob, `subscription($id: ID!) { jobProgress(id: $id) { sequence } }`, { id: own.data!.r.data.id }, { timeoutMs: 10_000 });
  expect(foreign.events[0]?.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
});

test('evaluation.attacks as a version name is accepted; an unknown name is ATTACK_UNKNOWN naming the versions', async () => {
  const ok = await harden(s.token, ', evaluation: { attacks: $a }', { a: 'standard' });
  expect(ok.data!.r.__typename, JSON.stringify(ok)).toBe('MutationHardenModelSuccess');
  const bad = await harden(s.token, ', evaluation: { attacks: $a }', { a: 'strongest' });
  expect(bad.data!.r).toMatchObject({ __typename: 'AttackConfigError', code: 'ATTACK_UNKNOWN' });
  expect(bad.data!.r.message).toContain('"strongest"');
  expect(bad.data!.r.message).toContain('standard, plus, rand');
  const list = await harden(s.token, ', evaluation: { attacks: $a }', { a: [{ attack: 'no-such-attack' }] });
  expect(list.data!.r).toMatchObject({ code: 'ATTACK_UNKNOWN' });
});

test('an unknown method param is refused at submit, naming it and the method\'s known params', async () => {
  const r = await harden(s.token, '', { p: { steps: 3, lamda: 2 } });
  expect(r.data!.r).toMatchObject({ __typename: 'TrainingConfigError', code: 'TRAINING_INVALID_CONFIG', details: { method: 'pgd-at', param: 'lamda' } });
  expect(r.data!.r.details.known).toEqual(expect.arrayContaining(['steps', 'stepSize', 'randomStart', 'lr']));
  expect((await harden(s.token, '', { p: { steps: 3, stepSize: 0.01 } })).data!.r.__typename).toBe('MutationHardenModelSuccess');
  expect((await harden(s.token, '', { p: [1, 2] })).data!.r.code).toBe('TRAINING_INVALID_CONFIG');
});

test('serverInfo counts only the viewer\'s jobs', async () => {
  const mine = (await gql(s.yoga, s.token, `{ serverInfo { queuedJobs runningJobs } }`)).data!.serverInfo;
  expect(mine.queuedJobs).toBeGreaterThan(0);
  expect((await gql(s.yoga, bob, `{ serverInfo { queuedJobs runningJobs workers { busyJobId } } }`)).data!.serverInfo).toMatchObject({ queuedJobs: 0, runningJobs: 0 });
});

test('a data directory the server cannot write is named in the startup error', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'temper-ro-'));
  let mounted = false;
  try {
    if (process.getuid?.() === 0) {
      // Root writes through file modes: a read-only mount is the real thing.
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=64k', 'tmpfs', dir], { stdio: 'pipe' });
      mounted = true;
    } else chmodSync(dir, 0o555);
    const e = await createTemperServer({ dataDir: dir, workers: 0, log: () => {} }).then(
      (srv) => srv.close().then(() => null),
      (x: Error) => x,
    );
    expect(e?.message).toContain(dir);
    expect(e?.message).toContain('TEMPER_DATA_DIR');
  } finally {
    if (mounted) execFileSync('umount', [dir]);
    chmodSync(dir, 0o755);
    rmSync(dir, { recursive: true, force: true });
  }
});
