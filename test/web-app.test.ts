import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { runEdgeCheck } from '@temper/edge/device';
import { SERVER_MAIN, tinyIdxDataset, tinyModelFiles, uploadTinyDataset, uploadTinyModel } from '@temper/server/testing';

/**
 * The web app at / (issue #16) in Debian's headless Chromium against a real server: sign in, upload a
 * model and a dataset from the browser (with progress, and the API's errors by the field), start a
 * short hardening job from the form and watch its curves, open its report (eps chart, stages, gallery
 * drawn on canvas, JUnit and JSON downloads), evaluate from the form, compare, filter, sort and cancel
 * on the runs table, create an edge check, and GraphiQL with every non-loopback request blocked.
 * Screenshots go to test-artifacts/web-*.png.
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

const files = (name: string, entries: Record<string, Uint8Array | string>) => {
  const dir = mkdtempSync(join(tmpdir(), `temper-web-${name}-`));
  return Object.entries(entries).map(([f, bytes]) => (writeFileSync(join(dir, f), bytes), join(dir, f)));
};
const modelId = async (name: string) => ((await gql(`{ viewer { models(first: 100) { edges { node { id name } } } } }`)).viewer.models.edges as { node: { id: string; name: string } }[]).find((e) => e.node.name === name)!.node.id;
const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `web-${name}.png`), fullPage: true });

/** A canvas that is not blank: some pixel differs from the first one. */
const canvasDrawn = (selector: string) =>
  page.$eval(selector, (c) => {
    const canvas = c as HTMLCanvasElement;
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let lit = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i] !== data[0] || data[i + 1] !== data[1] || data[i + 2] !== data[2]) lit++;
    return { lit, alpha: data[3], pixels: data.length / 4 };
  });

test('sign in (a wrong token says so), upload a model with progress (a bad one shows its error by the field), delete it', async () => {
  const loadMs = () => page.evaluate(() => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).loadEventEnd);
  await page.goto(`${base}/`);
  const first = await loadMs();
  const wire = await page.evaluate(() => performance.getEntriesByType('resource').reduce((n, r) => n + (r as PerformanceResourceTiming).encodedBodySize, 0));
  await page.reload();
  console.log(`web app on loopback: load event after ${first.toFixed(0)} ms (first visit, cold browser), ${(await loadMs()).toFixed(0)} ms (reload); ${wire} bytes of assets over the wire`);
  // The script goes out gzipped to clients that take it, and decodes to the same bytes.
  const script = /src="(\/assets\/[^"]+\.js)"/.exec(await (await fetch(`${base}/`)).text())![1];
  const [zipped, plain] = await Promise.all([fetch(`${base}${script}`, { headers: { 'accept-encoding': 'gzip' } }), fetch(`${base}${script}`, { headers: { 'accept-encoding': 'identity' } })]);
  expect(zipped.headers.get('content-encoding')).toBe('gzip');
  expect(plain.headers.get('content-encoding')).toBeNull();
  expect(await zipped.text()).toBe(await plain.text());
  await page.fill('input[name=token]', 'tmp_wrong');
  await page.click('text=Sign in');
  await page.waitForSelector('[data-testid=signin-error]');
  await page.screenshot({ path: join(ARTIFACTS, 'web-signin-error.png') });
  await page.fill('input[name=token]', token);
  await page.click('text=Sign in');
  await page.waitForSelector('[data-testid=runs]');
  // The owner's name arrives after the sign-in answer.
  await page.waitForFunction(() => (document.querySelector('[data-testid=owner]')?.textContent ?? '').length > 0);
  await page.click('nav >> text=Models');
  const { modelJson, weightsBin } = await tinyModelFiles(5);
  const [json, bin] = files('model', { 'model.json': modelJson, 'weights.bin': weightsBin });
  // model.json alone: the server names the missing shard, shown under the files field.
  await page.fill('[data-testid=upload] input[name=name]', 'no-weights');
  await page.setInputFiles('[data-testid=upload] input[name=files]', [json]);
  await page.click('[data-testid=upload] button:has-text("Upload")');
  expect(await (await page.waitForSelector('[data-testid=error-files]')).textContent()).toContain('MODEL_MISSING_SHARD');
  await page.fill('[data-testid=upload] input[name=name]', 'browser-upload');
  await page.setInputFiles('[data-testid=upload] input[name=files]', [json, bin]);
  await page.selectOption('[data-testid=upload] select[name=preprocessing]', 'byte');
  await page.click('[data-testid=upload] button:has-text("Upload")');
  await page.waitForSelector('[data-testid=models] >> text=browser-upload');
  await page.waitForSelector('[data-testid=error-files]', { state: 'detached' });
  const progress = await page.$eval('[data-testid=upload-progress]', (e) => [Number(e.getAttribute('data-sent')), Number(e.getAttribute('data-total'))]);
  expect(progress[1]).toBeGreaterThan(weightsBin.byteLength);
  expect(progress[0]).toBe(progress[1]);
  expect(await page.textContent('[data-testid=models] tr:has-text("browser-upload")')).toContain('byte [0,255]');
  await shot('models');
  await page.click('[data-testid=models] tr:has-text("browser-upload") >> text=delete');
  await page.waitForSelector('[data-testid=models] >> text=browser-upload', { state: 'detached' });
}, 60_000);

test('upload an IDX dataset from the browser; a wrong file shows the format error by the field', async () => {
  await page.goto(`${base}/#/datasets`);
  const { images, labels } = await tinyIdxDataset(200);
  const [img, lab] = files('idx', { 'images.idx': images, 'labels.idx': labels });
  await page.fill('[data-testid=upload-dataset] input[name=name]', 'swapped');
  await page.setInputFiles('[data-testid=upload-dataset] input[name=images]', lab);
  await page.setInputFiles('[data-testid=upload-dataset] input[name=labels]', img);
  await page.click('[data-testid=upload-dataset] button:has-text("Upload")');
  expect(await (await page.waitForSelector('[data-testid=error-files]')).textContent()).toMatch(/^DATASET_/);
  await page.fill('[data-testid=upload-dataset] input[name=name]', 'browser-digits');
  await page.setInputFiles('[data-testid=upload-dataset] input[name=images]', img);
  await page.setInputFiles('[data-testid=upload-dataset] input[name=labels]', lab);
  await page.click('[data-testid=upload-dataset] button:has-text("Upload")');
  await page.waitForSelector('[data-testid=datasets] >> text=browser-digits');
  expect(await page.textContent('[data-testid=upload-dataset-msg]')).toContain('200 examples');
  expect(await page.getAttribute('[data-testid=upload-progress]', 'data-total')).not.toBe('0');
  await shot('datasets');
}, 60_000);

test('the harden form: errors by field, then a job with live curves, its report (eps chart, stages, flags, gallery, JUnit), an evaluation, compare, runs, cancel', async () => {
  const student = await uploadTinyModel(remote, token, 'student', 1);
  await page.goto(`${base}/#/start/harden/${encodeURIComponent(student)}`);
  const form = '[data-testid=harden-form]';
  await page.waitForSelector(`${form} select[name=dataset] option:has-text("browser-digits")`, { state: 'attached' });
  await page.selectOption(`${form} select[name=dataset]`, { label: (await page.textContent(`${form} select[name=dataset] option:has-text("browser-digits")`))! });
  // RRM needs a teacher: the API's TEACHER_REQUIRED shows under the teacher field.
  await page.selectOption(`${form} select[name=method]`, 'RRM');
  await page.click(`${form} button:has-text("Start hardening")`);
  expect(await (await page.waitForSelector('[data-testid=error-teacher]')).textContent()).toContain('TEACHER_REQUIRED');
  await page.selectOption(`${form} select[name=method]`, 'NATURAL');
  await page.fill(`${form} input[name=eps]`, '2');
  await page.click(`${form} button:has-text("Start hardening")`);
  expect(await (await page.waitForSelector('[data-testid=error-eps]')).textContent()).toContain('BAD_USER_INPUT');
  await shot('harden-errors');
  await page.fill(`${form} input[name=eps]`, '0.1');
  await page.fill(`${form} input[name=epochs]`, '2');
  await page.fill(`${form} input[name=batchSize]`, '16');
  await page.fill(`${form} input[name=name]`, 'hardened-a');
  await page.click(`${form} summary:has-text("optimizer and monitor")`);
  await page.fill(`${form} input[name=param-lr]`, '0.002');
  await page.fill(`${form} input[name=evalEps]`, '0.1, 0.3');
  await page.fill(`${form} input[name=sampleSize]`, '40');
  await page.selectOption(`${form} select[name=version]`, 'custom');
  await page.check(`${form} input[name=attack][value=fgsm]`);
  await page.click(`${form} button:has-text("Start hardening")`);
  await page.waitForURL(/#\/job\//);
  await page.waitForFunction(() => Number(document.querySelector('[data-testid=curves]')?.getAttribute('data-points')) >= 2, null, { timeout: 120_000 });
  await page.waitForSelector('[data-testid=job-status]:has-text("SUCCEEDED")', { timeout: 120_000 });
  // The defaults the run resolved, each with its source.
  expect(await (await page.waitForSelector('[data-testid=parameters]')).textContent()).toContain('lr0.002caller');
  await shot('job');

  await page.click('[data-testid=report-link]');
  await page.waitForSelector('[data-testid=eps-chart] canvas');
  expect(await page.textContent('[data-testid=clean]')).toMatch(/%$/);
  expect(await page.textContent('[data-testid=stages]')).toContain('fgsm');
  expect(await page.textContent('[data-testid=settings]')).toContain('seed');
  await page.waitForSelector('[data-testid=gallery] canvas');
  const drawn = await canvasDrawn('[data-testid=gallery] canvas');
  expect(drawn.alpha).toBe(255);
  expect(drawn.lit).toBeGreaterThan(10);
  // The amplified perturbation of an FGSM step is +-eps nearly everywhere: far from blank.
  expect((await canvasDrawn('[data-testid=gallery] .triple canvas:nth-child(2)')).lit).toBeGreaterThan(drawn.pixels / 10);
  expect(await page.textContent('[data-testid=gallery] figcaption')).toMatch(/true \d+, clean → \d+, adversarial → \d+ \(fgsm\)/);
  await shot('report');
  const [junit] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=download-junit]')]);
  const xml = readFileSync((await junit.path())!, 'utf8');
  expect(junit.suggestedFilename()).toMatch(/\.xml$/);
  expect(xml).toContain('<testsuites name="temper"');
  expect(xml).toMatch(/robust accuracy at eps 0\.3 \(fgsm\)/);
  const [json] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=download-json]')]);
  expect(JSON.parse(readFileSync((await json.path())!, 'utf8')).results).toHaveLength(2);

  // The evaluate form, from the hardened model's page (which shows its lineage).
  const hardened = await modelId('hardened-a');
  await page.goto(`${base}/#/model/${encodeURIComponent(hardened)}`);
  await page.waitForSelector('[data-testid=model-evaluations]');
  await page.click('a:text-is("Evaluate")');
  const ev = '[data-testid=evaluate-form]';
  await page.waitForSelector(`${ev} select[name=dataset] option:has-text("browser-digits")`, { state: 'attached' });
  await page.selectOption(`${ev} select[name=dataset]`, { label: (await page.textContent(`${ev} select[name=dataset] option:has-text("browser-digits")`))! });
  await page.fill(`${ev} input[name=eps]`, '0.1, 8/255, x');
  await page.click(`${ev} button:has-text("Start evaluation")`);
  expect(await (await page.waitForSelector('[data-testid=error-eps]')).textContent()).toContain('k/255');
  await page.fill(`${ev} input[name=eps]`, '8/255, 0.2');
  await page.fill(`${ev} input[name=sampleSize]`, '30');
  await page.selectOption(`${ev} select[name=version]`, 'custom');
  await page.check(`${ev} input[name=attack][value=fgsm]`);
  await page.check(`${ev} input[name=attack][value=pgd]`);
  await page.click(`${ev} button:has-text("Start evaluation")`);
  await page.waitForURL(/#\/job\//);
  await page.waitForSelector('[data-testid=job-status]:has-text("SUCCEEDED")', { timeout: 120_000 });
  await page.click('[data-testid=report-link]');
  await page.waitForSelector('[data-testid=stages]');
  expect(await page.textContent('[data-testid=stages]')).toContain('8/255');
  expect(await page.textContent('[data-testid=stages]')).toContain('pgd');

  const dataset = await uploadTinyDataset(remote, token, 200);
  const digits = ((await gql(`{ viewer { datasets { edges { node { id name } } } } }`)).viewer.datasets.edges as { node: { id: string; name: string } }[]).find((e) => e.node.name === 'browser-digits')!.node.id;
  const second = await harden(await uploadTinyModel(remote, token, 'student-b', 2), digits, 1);
  const third = await harden(await uploadTinyModel(remote, token, 'student-c', 3), dataset, 1);
  for (const job of [second, third]) {
    await page.goto(`${base}/#/job/${encodeURIComponent(job)}`);
    await page.waitForSelector('[data-testid=job-status]:has-text("SUCCEEDED")', { timeout: 120_000 });
  }
  await page.goto(`${base}/#/compare`);
  await page.waitForSelector('[data-testid=compare-dataset] option:has-text("browser-digits")', { state: 'attached' });
  await page.selectOption('[data-testid=compare-dataset]', { label: 'browser-digits' });
  await page.waitForSelector('[data-testid=compare] tbody tr:nth-child(2)');
  // One dataset at a time: the tiny-200 run is not mixed in.
  expect(await page.$$('[data-testid=compare] tbody tr')).toHaveLength(2);
  for (const box of await page.$$('[data-testid=compare] input[type=checkbox]')) await box.check();
  await page.waitForSelector('section canvas');
  const table = await page.textContent('[data-testid=compare]');
  expect(table).toContain('robust @ 0.1');
  expect(table).toContain('hardened-a');
  expect(table).toContain('{"lr":0.002}');
  await shot('compare');

  const long = await harden(student, dataset, 50);
  await page.goto(`${base}/#/`);
  const row = `[data-testid=runs] tr[data-id="${long}"]`;
  await page.waitForSelector(row);
  await page.selectOption('[data-testid=runs-kind]', 'EVALUATE');
  await page.waitForSelector(row, { state: 'detached' });
  expect(await page.$$eval('[data-testid=runs] tbody tr', (trs) => trs.map((t) => t.querySelector('td')!.textContent))).toEqual(['EVALUATE']);
  await page.selectOption('[data-testid=runs-kind]', '');
  await page.fill('[data-testid=runs-filter]', 'student-b');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=runs] tbody tr').length === 1);
  await page.fill('[data-testid=runs-filter]', '');
  await page.click('[data-testid=runs] th[data-sort=clean]');
  await page.click('[data-testid=runs] th[data-sort=clean]');
  expect(await page.getAttribute('[data-testid=runs] th[data-sort=clean]', 'aria-sort')).toBe('descending');
  const cleans = await page.$$eval('[data-testid=runs] tbody tr', (trs) => trs.map((t) => t.children[7].textContent!).filter((c) => c.endsWith('%')).map(parseFloat));
  expect(cleans.length).toBeGreaterThanOrEqual(3);
  expect(cleans).toEqual([...cleans].sort((a, b) => b - a));
  await page.waitForSelector(`${row}:has-text("RUNNING")`, { timeout: 60_000 });
  await shot('runs-running');
  await page.click(`${row} >> text=cancel`);
  await page.waitForSelector(`${row} >> text=CANCELLED`, { timeout: 60_000 });
  await shot('runs');
}, 420_000);

test('edge checks: create one from the form, it waits for a device; a device reports and the page shows it; the list shows it', async () => {
  await page.goto(`${base}/#/edge`);
  const form = '[data-testid=edge-form]';
  await page.waitForSelector(`${form} select[name=model] option:has-text("hardened-a")`, { state: 'attached' });
  await page.selectOption(`${form} select[name=model]`, { label: 'hardened-a' });
  await page.selectOption(`${form} select[name=dataset]`, { label: 'browser-digits' });
  await page.fill(`${form} input[name=sampleSize]`, '20');
  await page.fill(`${form} input[name=squareQueries]`, '100');
  // No surrogate: the API refuses, and says so.
  await page.click(`${form} button:has-text("Create")`);
  await page.waitForSelector(`${form} .error`);
  await page.selectOption(`${form} select[name=surrogates]`, [{ label: 'student' }]);
  await page.click(`${form} button:has-text("Create")`);
  await page.waitForURL(/#\/edge\/.+/);
  expect(await (await page.waitForSelector('[data-testid=edge-status]')).textContent()).toBe('PENDING');
  expect(await page.getAttribute('[data-testid=edge-run]', 'href')).toContain('/edge/?check=');
  // A device (this process, on wasm) runs the check and reports; the open page shows the report.
  const checkId = decodeURIComponent(page.url().split('#/edge/')[1]);
  const { report } = await runEdgeCheck({ url: base, token, checkId, backend: 'wasm' });
  await page.waitForSelector('[data-testid=edge-reports] tbody tr', { timeout: 30_000 });
  expect(await page.textContent('[data-testid=edge-status]')).toMatch(/^(PASSED|FLAGGED)$/);
  expect(await page.textContent('[data-testid=edge-reports]')).toContain(`${report.agreement!.agree}/${report.agreement!.count}`);
  await shot('edge-check');
  await page.goto(`${base}/#/edge`);
  await page.waitForSelector('[data-testid=edge-checks] >> text=hardened-a');
  await shot('edge-checks');
}, 120_000);

test('the zoo form trains a model; the models page shows where each model came from', async () => {
  await page.goto(`${base}/#/start/zoo`);
  const form = '[data-testid=zoo-form]';
  await page.waitForSelector(`${form} select[name=dataset] option:has-text("browser-digits")`, { state: 'attached' });
  await page.selectOption(`${form} select[name=architecture]`, 'mlp');
  await page.selectOption(`${form} select[name=dataset]`, { label: (await page.textContent(`${form} select[name=dataset] option:has-text("browser-digits")`))! });
  await page.fill(`${form} input[name=epochs]`, '1');
  await page.fill(`${form} input[name=batchSize]`, '32');
  await page.fill(`${form} input[name=name]`, 'zoo-mlp');
  await page.click(`${form} button:has-text("Start training")`);
  await page.waitForURL(/#\/job\//);
  await page.waitForSelector('[data-testid=job-status]:has-text("SUCCEEDED")', { timeout: 120_000 });
  await page.goto(`${base}/#/models`);
  await page.waitForSelector('[data-testid=models] >> text=zoo-mlp');
  expect(await page.textContent('[data-testid=models] tr:has-text("zoo-mlp")')).toContain('zoo training on browser-digits');
  expect(await page.textContent('[data-testid=models] tr:has-text("hardened-a")')).toContain('NATURAL of student');
  await shot('models-lineage');
}, 180_000);

test('GraphiQL loads from the server alone, with the token header and a starter query', async () => {
  await page.goto(`${base}/graphiql`);
  await page.waitForSelector('.graphiql-container', { timeout: 60_000 });
  await page.waitForTimeout(1000);
  await page.screenshot({ path: join(ARTIFACTS, 'web-graphiql.png') });
  const html = await (await fetch(`${base}/graphiql`)).text();
  expect(html).toContain('query Start');
  expect((page as any).foreign).toEqual([]);
}, 90_000);
