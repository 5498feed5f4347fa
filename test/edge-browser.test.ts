import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { tinyIdxDataset, tinyModelFiles, UPLOAD_DATASET, UPLOAD_MODEL, multipart, SERVER_MAIN } from '@temper/server/testing';

/**
 * The /edge page in a real browser against a real server (issue #7): build the page with Vite, start
 * `npm start`'s entry on a free port, create an edge check over GraphQL, open the page in Debian's
 * headless Chromium with WebGPU (SwiftShader), let it run the check and submit, then read the report
 * back over GraphQL: it ran on webgpu. Leaves a screenshot in test-artifacts/edge-page.png.
 */

const CHROMIUM = process.env.TEMPER_CHROMIUM ?? '/usr/bin/chromium';
// .ci/run installs Debian's chromium; without it this test fails and says how to install it.
const HAS_CHROMIUM = existsSync(CHROMIUM);
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const MAIN = SERVER_MAIN;
const PAGE_CONFIG = fileURLToPath(new URL('../edge/page/vite.config.ts', import.meta.url));
const ARTIFACTS = fileURLToPath(new URL('../test-artifacts/', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'temper-edge-browser-'));
const pageDir = mkdtempSync(join(tmpdir(), 'temper-edge-page-'));

let child: ChildProcess | undefined;
let base = '';
let token = '';
let browser: Browser | undefined;
const output: string[] = [];

async function gql(query: string, variables: Record<string, unknown> = {}): Promise<Record<string, any>> {
  const res = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) });
  const body = (await res.json()) as { data?: Record<string, any>; errors?: unknown };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data!;
}
async function upload(form: FormData): Promise<Record<string, any>> {
  const res = await fetch(`${base}/graphql`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'graphql-preflight': '1' }, body: form });
  return ((await res.json()) as { data: Record<string, any> }).data;
}
async function uploadModel(name: string, seed: number): Promise<string> {
  const { modelJson, weightsBin } = await tinyModelFiles(seed);
  const m = await upload(multipart(UPLOAD_MODEL, { input: { name, modelJson: null, weights: [null] } }, { 'input.modelJson': { name: 'model.json', bytes: modelJson }, 'input.weights.0': { name: 'weights.bin', bytes: weightsBin } }));
  return m.uploadModel.data.id;
}

beforeAll(async () => {
  if (!HAS_CHROMIUM) throw new Error(`No Chromium at ${CHROMIUM}: install Debian's chromium (apt-get install chromium), as .ci/run does, or set TEMPER_CHROMIUM.`);
  // The page, built programmatically into a temporary folder the server is pointed at.
  await build({ configFile: PAGE_CONFIG, logLevel: 'warn', build: { outDir: pageDir, emptyOutDir: true } });
  child = spawn(process.execPath, ['--import', TSX, MAIN], {
    env: { ...process.env, TEMPER_DATA_DIR: dataDir, TEMPER_PORT: '0', TEMPER_WORKERS: '1', TEMPER_EDGE_PAGE_DIR: pageDir, NODE_ENV: 'test' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output.join('')}`)), 60_000);
    child!.stdout!.on('data', (b: Buffer) => {
      output.push(b.toString());
      const m = /API ready in [\d.]+ s at http:\/\/[\d.]+:(\d+)\/graphql/.exec(output.join(''));
      if (m) {
        clearTimeout(timer);
        // localhost, not 127.0.0.1: a secure context, so Chromium exposes navigator.gpu.
        resolve(`http://localhost:${m[1]}`);
      }
    });
    child!.stderr!.on('data', (b: Buffer) => output.push(b.toString()));
    child!.once('exit', (code) => reject(new Error(`server exited (${code}):\n${output.join('')}`)));
  });
  token = /tmp_[\w-]{43}/.exec(output.join(''))![0];
}, 120_000);

afterAll(async () => {
  await browser?.close();
  child?.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 300));
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(pageDir, { recursive: true, force: true });
});

test('the /edge page runs a check on WebGPU in headless Chromium and its report reaches the server', async () => {
  const studentId = await uploadModel('student', 7);
  const surrogateId = await uploadModel('surrogate', 8);
  const { images, labels } = await tinyIdxDataset(100);
  const d = await upload(multipart(UPLOAD_DATASET, { input: { name: 'digits', format: 'IDX', images: null, labels: null } }, { 'input.images': { name: 'i.idx', bytes: images }, 'input.labels': { name: 'l.idx', bytes: labels } }));
  const created = await gql(
    `mutation($i: CreateEdgeCheckInput!) { createEdgeCheck(input: $i) { __typename ... on DomainError { code message } ... on MutationCreateEdgeCheckSuccess { data { id status } } } }`,
    { i: { model: studentId, dataset: d.uploadDataset.data.id, surrogates: [surrogateId], sampleSize: 20, attackCount: 20, squareQueries: 50, pgdSteps: 2, eps: 0.2, seed: 1 } },
  );
  expect(created.createEdgeCheck.__typename, JSON.stringify(created)).toBe('MutationCreateEdgeCheckSuccess');
  const checkId: string = created.createEdgeCheck.data.id;

  // The page itself is public; its assets are served with their types.
  const index = await fetch(`${base}/edge/`);
  expect(index.status).toBe(200);
  expect(index.headers.get('content-type')).toContain('text/html');

  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--enable-unsafe-webgpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = await browser.newPage({ viewport: { width: 420, height: 900 } });
  const logs: string[] = [];
  page.on('console', (m) => logs.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => logs.push(`pageerror: ${e.message}`));
  const started = Date.now();
  await page.goto(`${base}/edge/?check=${encodeURIComponent(checkId)}&backend=webgpu#token=${token}`);
  await page.waitForSelector('body[data-done]', { timeout: 150_000 });
  const done = await page.evaluate(() => ({ done: document.body.dataset.done, backend: document.body.dataset.backend, error: document.getElementById('error')!.textContent }));
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, 'edge-page.png'), fullPage: true });
  expect(done, `${JSON.stringify(done)}\n${logs.join('\n')}`).toMatchObject({ done: 'ok', backend: 'webgpu' });
  console.log(`edge page: check ran in ${((Date.now() - started) / 1000).toFixed(1)} s in headless Chromium on ${done.backend}`);
  // The chart and the table are on the page.
  expect(await page.locator('#chart svg polyline').count()).toBe(1);
  expect(await page.locator('#table tr').count()).toBeGreaterThan(5);

  const check = (
    await gql(`query($id: ID!) { node(id: $id) { ... on EdgeCheck { status reports { backend cleanAccuracy squareRobustAccuracy agreement { rate ok } } } } }`, { id: checkId })
  ).node;
  expect(check.reports).toHaveLength(1);
  expect(check.reports[0]).toMatchObject({ backend: 'webgpu' });
  console.log(`edge page report: ${JSON.stringify(check.reports[0])}`);
}, 240_000);
