import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { SERVER_MAIN, tinyModelFiles, uploadTinyDataset, uploadTinyModel } from '@temper/server/testing';

/**
 * The web app at / (issue #16) in Debian's headless Chromium against a real server: sign in, upload a
 * model from the browser, watch a short hardening job's curves, open its report, cancel a job, and
 * GraphiQL with every non-loopback request blocked. Screenshots go to test-artifacts/web-*.png.
 */

const CHROMIUM = process.env.TEMPER_CHROMIUM ?? '/usr/bin/chromium';
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const CONFIG = fileURLToPath(new URL('../web/vite.config.ts', import.meta.url));
const ARTIFACTS = fileURLToPath(new URL('../test-artifacts/', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'temper-web-'));
const appDir = mkdtempSync(join(tmpdir(), 'temper-web-dist-'));
const output: string[] = [];
let child: ChildProcess | undefined;
let browser: Browser | undefined;
let page: Page;
let base = '';
let token = '';
const remote = { fetch: (u: string, init?: RequestInit) => fetch(u.replace('http://temper.test', base), init) };

async function gql(query: string, variables: Record<string, unknown> = {}): Promise<Record<string, any>> {
  const res = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) });
  const body = (await res.json()) as { data?: Record<string, any>; errors?: unknown };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data!;
}
const harden = (s: string, d: string, epochs: number) =>
  gql(`mutation($s: ID!, $d: ID!, $e: Int!) { hardenModel(input: { method: NATURAL, student: $s, dataset: $d, eps: 0.1, epochs: $e, batchSize: 16, evaluation: { sampleSize: 8, attacks: [{ attack: "fgsm" }] } }) { ... on MutationHardenModelSuccess { data { id } } ... on DomainError { code message } } }`, { s, d, e: epochs }).then((r) => r.hardenModel.data.id as string);

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  await build({ configFile: CONFIG, logLevel: 'warn', build: { outDir: appDir, emptyOutDir: true } });
  child = spawn(process.execPath, ['--import', TSX, SERVER_MAIN], { env: { ...process.env, TEMPER_DATA_DIR: dataDir, TEMPER_PORT: '0', TEMPER_WORKERS: '1', TEMPER_WEB_APP_DIR: appDir, NODE_ENV: 'test' }, stdio: ['ignore', 'pipe', 'pipe'] });
  base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output.join('')}`)), 60_000);
    child!.stdout!.on('data', (b: Buffer) => {
      output.push(b.toString());
      const m = /API ready in [\d.]+ s at http:\/\/[\d.]+:(\d+)\/graphql/.exec(output.join(''));
      if (m) {
        clearTimeout(timer);
        resolve(`http://127.0.0.1:${m[1]}`);
      }
    });
    child!.stderr!.on('data', (b: Buffer) => output.push(b.toString()));
    child!.once('exit', (code) => reject(new Error(`server exited (${code}):\n${output.join('')}`)));
  });
  token = /tmp_[\w-]{43}/.exec(output.join(''))![0];
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  // Nothing but the Temper server: any other host fails the request (and the test, below).
  const foreign: string[] = [];
  await page.route((url) => !url.href.startsWith(base) && !url.href.startsWith('data:') && !url.href.startsWith('blob:'), (route) => (foreign.push(route.request().url()), route.abort()));
  (page as any).foreign = foreign;
}, 180_000);

afterAll(async () => {
  await browser?.close();
  child?.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 300));
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(appDir, { recursive: true, force: true });
});

test('sign in (a wrong token says so), upload a model from the browser, delete it', async () => {
  await page.goto(`${base}/`);
  await page.fill('input[name=token]', 'tmp_wrong');
  await page.click('text=Sign in');
  await page.waitForSelector('[data-testid=signin-error]');
  await page.screenshot({ path: join(ARTIFACTS, 'web-signin-error.png') });
  await page.fill('input[name=token]', token);
  await page.click('text=Sign in');
  await page.waitForSelector('[data-testid=runs]');
  // The owner's name arrives after the sign-in answer.
  await page.waitForFunction(() => (document.querySelector('[data-testid=owner]')?.textContent ?? '').length > 0);
  await page.click('text=Models');
  const { modelJson, weightsBin } = await tinyModelFiles(5);
  const dir = mkdtempSync(join(tmpdir(), 'temper-web-model-'));
  writeFileSync(join(dir, 'model.json'), modelJson);
  writeFileSync(join(dir, 'weights.bin'), weightsBin);
  await page.fill('input[name=name]', 'browser-upload');
  await page.setInputFiles('input[name=files]', [join(dir, 'model.json'), join(dir, 'weights.bin')]);
  await page.click('text=Upload');
  await page.waitForSelector('[data-testid=models] >> text=browser-upload');
  await page.screenshot({ path: join(ARTIFACTS, 'web-models.png') });
  await page.click('[data-testid=models] tr:has-text("browser-upload") >> text=delete');
  await page.waitForSelector('[data-testid=models] >> text=browser-upload', { state: 'detached' });
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

test('a hardening job: live curves, then its report with the eps chart; another job is cancelled from the runs table', async () => {
  const dataset = await uploadTinyDataset(remote, token, 200);
  const student = await uploadTinyModel(remote, token, 'student', 1);
  const id = await harden(student, dataset, 2);
  await page.goto(`${base}/#/job/${encodeURIComponent(id)}`);
  await page.waitForFunction(() => Number(document.querySelector('[data-testid=curves]')?.getAttribute('data-points')) >= 2, null, { timeout: 120_000 });
  await page.waitForSelector('[data-testid=job-status]:has-text("SUCCEEDED")', { timeout: 120_000 });
  await page.screenshot({ path: join(ARTIFACTS, 'web-job.png'), fullPage: true });
  await page.goto(`${base}/#/report/${encodeURIComponent(id)}`);
  await page.waitForSelector('[data-testid=eps-chart] canvas');
  expect(await page.textContent('[data-testid=clean]')).toMatch(/%$/);
  expect(await page.textContent('[data-testid=gallery-empty]')).toContain('stored no examples');
  await page.screenshot({ path: join(ARTIFACTS, 'web-report.png'), fullPage: true });

  const second = await harden(await uploadTinyModel(remote, token, 'student-b', 2), dataset, 1);
  await page.goto(`${base}/#/job/${encodeURIComponent(second)}`);
  await page.waitForSelector('[data-testid=job-status]:has-text("SUCCEEDED")', { timeout: 120_000 });
  await page.goto(`${base}/#/compare`);
  await page.waitForSelector('[data-testid=compare] tbody tr:nth-child(2)');
  for (const box of await page.$$('[data-testid=compare] input[type=checkbox]')) await box.check();
  await page.waitForSelector('section canvas');
  expect(await page.textContent('[data-testid=compare]')).toContain('robust @ 0.1');
  await page.screenshot({ path: join(ARTIFACTS, 'web-compare.png') });

  const long = await harden(student, dataset, 50);
  await page.goto(`${base}/#/`);
  await page.click(`tr:has(a[href="#/job/${encodeURIComponent(long)}"]) >> text=cancel`);
  await page.waitForSelector(`tr:has(a[href="#/job/${encodeURIComponent(long)}"]) >> text=CANCELLED`, { timeout: 60_000 });
  await page.screenshot({ path: join(ARTIFACTS, 'web-runs.png') });
}, 300_000);

test('GraphiQL loads from the server alone, with the token header and a starter query', async () => {
  await page.goto(`${base}/graphiql`);
  await page.waitForSelector('.graphiql-container', { timeout: 60_000 });
  await page.waitForTimeout(1000);
  await page.screenshot({ path: join(ARTIFACTS, 'web-graphiql.png') });
  const html = await (await fetch(`${base}/graphiql`)).text();
  expect(html).toContain('query Start');
  expect((page as any).foreign).toEqual([]);
}, 90_000);
