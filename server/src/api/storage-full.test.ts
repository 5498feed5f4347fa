import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { tinyModelFiles, UPLOAD_MODEL } from './testing/fixtures.ts';
import { gqlMultipart, multipart, startTestServer } from './testing/server.ts';

/**
 * A full disk, for real: the artifacts directory is a 64 KiB tmpfs (mounting needs root, which CI and
 * the development machines have; elsewhere this file says why it cannot run). The SQLite file stays on
 * the ordinary disk, as it would when artifacts live on their own volume.
 */
let server: Awaited<ReturnType<typeof startTestServer>>;
let artifacts: string;
let mounted = false;
let why = '';
const lines: string[] = [];

beforeAll(async () => {
  server = await startTestServer({ log: (l) => lines.push(l) });
  artifacts = join(server.dataDir, 'artifacts');
  mkdirSync(artifacts, { recursive: true });
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', artifacts], { stdio: 'pipe' });
    mounted = true;
  } catch (e) {
    why = String((e as { stderr?: Buffer }).stderr ?? e).trim();
  }
});
afterAll(async () => {
  if (mounted) execFileSync('umount', [artifacts]);
  await server.dispose();
});

test('an upload onto a full disk answers STORAGE_FULL, leaves no temp file, logs the cause, and stores no row', async (ctx) => {
  if (!mounted) ctx.skip(`cannot mount a tmpfs here (${why}); run as root`);
  const { modelJson } = await tinyModelFiles(1, 'mlp');
  // 1 MiB of weights cannot fit in 64 KiB; the manifest is edited to match so the upload is otherwise valid.
  const json = JSON.parse(modelJson);
  const big = new Uint8Array(256 * 1024 * 4);
  json.weightsManifest = [{ paths: ['weights.bin'], weights: [...json.weightsManifest[0].weights] }];
  const total = json.weightsManifest[0].weights.reduce((n: number, w: { shape: number[] }) => n + w.shape.reduce((a, b) => a * b, 1) * 4, 0);
  const files = { 'input.modelJson': { name: 'model.json', bytes: JSON.stringify(json) }, 'input.weights.0': { name: 'weights.bin', bytes: big.subarray(0, total) } };
  const before = Number((await server.store.db.selectFrom('models').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const r = await gqlMultipart(server.yoga, server.token, multipart(UPLOAD_MODEL, { input: { name: 'm', modelJson: null, weights: [null] } }, files));
  expect(total).toBeGreaterThan(64 * 1024);
  expect(r.errors?.[0].extensions?.code, JSON.stringify(r)).toBe('STORAGE_FULL');
  expect(r.errors?.[0].message).not.toContain(server.dataDir);
  expect(readdirSync(artifacts, { recursive: true }).filter((f) => String(f).endsWith('.tmp'))).toEqual([]);
  expect(lines.join('\n')).toMatch(/storage error \(STORAGE_FULL\): .*ENOSPC/);
  const after = Number((await server.store.db.selectFrom('models').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  expect(after).toBe(before);
});
