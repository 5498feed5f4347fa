import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import type { EdgePhase, EdgeProgress } from '../src/device/edge-check.ts';
import type { EdgeReport, QueryCurvePoint } from '../src/device/report.ts';
import { runEdgeCheck } from '../src/device/run-edge-check.ts';

/**
 * The /edge page (issue #7): `/edge/?check=<EdgeCheck id>#token=<bearer token>` (the token may also be a
 * query parameter; the hash keeps it out of server logs). Optional `backend=webgpu|webgl|wasm|cpu`
 * forces a rung of the ladder. Runs the check on this device, shows progress, Square's robust accuracy
 * against queries and the report's table, then sets `data-done` on <body> ('ok' or 'error').
 */

const PHASES: readonly EdgePhase[] = ['backend', 'download', 'clean', 'square', 'transfer', 'latency', 'submit'];
const PHASE_LABEL: Record<EdgePhase, string> = {
  backend: 'choosing the backend',
  download: 'downloading models and sample',
  clean: 'clean accuracy and agreement',
  square: 'Square attack (black box)',
  transfer: 'transfer attack (PGD on surrogates)',
  latency: 'latency',
  submit: 'submitting the report',
};

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const SVG = 'http://www.w3.org/2000/svg';

function params(): { checkId: string | null; token: string | null; backend: string | null } {
  const q = new URLSearchParams(location.search);
  const h = new URLSearchParams(location.hash.replace(/^#/, ''));
  const get = (k: string) => h.get(k) ?? q.get(k);
  return { checkId: get('check') ?? get('checkId'), token: get('token'), backend: get('backend') };
}

function showProgress(p: EdgeProgress): void {
  const i = PHASES.indexOf(p.phase);
  $('phase').textContent = `${i + 1}/${PHASES.length} · ${PHASE_LABEL[p.phase]}`;
  $<HTMLProgressElement>('bar').value = (Math.max(0, i) + Math.min(1, Math.max(0, p.fraction))) / PHASES.length;
  $('message').textContent = p.message;
}

function el<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

/** Robust accuracy (0..1) against queries per sample, a step line; log x when the budget is large. */
export function drawCurve(curve: readonly QueryCurvePoint[], cleanAccuracy: number): SVGSVGElement {
  const W = 600, H = 300, L = 48, R = 16, T = 14, B = 40;
  const svg = el('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': 'Robust accuracy against queries' });
  const maxQ = Math.max(1, ...curve.map((p) => p.queries));
  const logX = maxQ > 50;
  const fx = (q: number) => L + (W - L - R) * (logX ? Math.log10(Math.max(1, q)) / Math.log10(maxQ) : q / maxQ);
  const fy = (a: number) => T + (H - T - B) * (1 - a);
  for (const a of [0, 0.25, 0.5, 0.75, 1]) {
    svg.append(el('line', { class: 'grid', x1: L, x2: W - R, y1: fy(a), y2: fy(a) }));
    svg.append(el('text', { x: L - 6, y: fy(a) + 4, 'text-anchor': 'end' }, `${Math.round(a * 100)}%`));
  }
  const ticks = logX ? [1, 10, 100, 1000, 10000, 100000].filter((t) => t <= maxQ) : [0, 0.25, 0.5, 0.75, 1].map((f) => Math.round(f * maxQ));
  if (!ticks.includes(maxQ)) ticks.push(maxQ);
  for (const t of ticks) svg.append(el('text', { x: fx(t), y: H - B + 16, 'text-anchor': 'middle' }, String(t)));
  svg.append(el('line', { class: 'axis', x1: L, x2: W - R, y1: H - B, y2: H - B }));
  svg.append(el('line', { class: 'axis', x1: L, x2: L, y1: T, y2: H - B }));
  svg.append(el('text', { x: (L + W - R) / 2, y: H - 6, 'text-anchor': 'middle' }, `queries per image${logX ? ' (log scale)' : ''}`));
  // Starts at the clean accuracy (no query spent), then steps down as queries fool more images.
  const pts: [number, number][] = [[fx(logX ? 1 : 0), fy(cleanAccuracy)]];
  for (const p of curve) {
    const x = fx(p.queries);
    pts.push([x, pts[pts.length - 1][1]], [x, fy(p.robustAccuracy)]);
  }
  pts.push([fx(maxQ), pts[pts.length - 1][1]]);
  svg.append(el('polyline', { class: 'line', points: pts.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(' ') }));
  const last = curve[curve.length - 1];
  if (last) svg.append(el('text', { x: W - R, y: fy(last.robustAccuracy) - 6, 'text-anchor': 'end' }, `${(100 * last.robustAccuracy).toFixed(1)}%`));
  return svg;
}

function adapterLine(a: Record<string, unknown> | null): string {
  if (!a) return 'none';
  const parts = [a.vendor, a.architecture, a.description].filter((x) => typeof x === 'string' && x);
  return `${parts.join(' / ') || 'details hidden by the browser'}${a.isFallbackAdapter ? ' (software fallback)' : ''}`;
}

const pct = (x: number | null | undefined) => (x === null || x === undefined || !Number.isFinite(x) ? '—' : `${(100 * x).toFixed(1)}%`);
const ms = (x: number) => (Number.isFinite(x) ? `${x.toFixed(x < 10 ? 2 : 1)} ms` : '—');

function showTable(report: EdgeReport, submission: { id: string; flags: readonly { code: string; message: string }[] }): void {
  const d = report.device as unknown as Record<string, unknown>;
  const rows: [string, string][] = [
    ['Backend', `${report.backend.name}${report.backend.forced ? ' (forced)' : ''}`],
    ['Why', report.backend.reason],
    ['Device', [d.userAgent, d.platform].filter((x) => typeof x === 'string' && x).join(' · ') || '—'],
    ['GPU adapter', adapterLine(report.device.adapter as unknown as Record<string, unknown> | null)],
    ['Model', `${report.model.sha256.slice(0, 16)}… (${report.model.inputShape.join('×')}, ${report.model.numClasses} classes)`],
    ['Sample', `${report.sample.count} images, ${report.sample.attacked} attacked, eps ${report.settings.eps}`],
    ['Clean accuracy', `${pct(report.clean.accuracy)} (${report.clean.correct}/${report.clean.count})`],
    ['Agreement with the server', report.agreement ? `${pct(report.agreement.rate)} (${report.agreement.agree}/${report.agreement.count})${report.agreement.ok ? '' : ' — below threshold'}` : 'not checked'],
    ['Square robust accuracy', `${pct(report.square.robustAccuracy)} at ${report.square.queryBudget} queries (${report.square.fooled} fooled)`],
    ['Median queries to fool', report.square.medianQueriesFooled === null ? '—' : String(report.square.medianQueriesFooled)],
    ['Transfer robust accuracy', `${pct(report.transfer.robustAccuracy)} (PGD ${report.transfer.steps} steps on ${report.transfer.surrogates.map((s) => s.name).join(', ')})`],
    ['Latency, batch 1', `p50 ${ms(report.latency.batch1.p50Ms)}, p95 ${ms(report.latency.batch1.p95Ms)}`],
    [`Throughput, batch ${report.latency.batch.batchSize}`, `${report.latency.batch.throughputPerSec.toFixed(0)} images/s`],
    ['Flags', submission.flags.length ? submission.flags.map((f) => `${f.code}: ${f.message}`).join('\n') : 'none'],
    ['Report', submission.id],
    ['Elapsed', `${(report.elapsedMs / 1000).toFixed(1)} s`],
  ];
  const table = $<HTMLTableElement>('table');
  table.replaceChildren(
    ...rows.map(([k, v]) => {
      const tr = document.createElement('tr');
      const th = document.createElement('th');
      const td = document.createElement('td');
      th.textContent = k;
      td.textContent = v;
      tr.append(th, td);
      return tr;
    }),
  );
  $('table-section').hidden = false;
}

function fail(message: string): void {
  const e = $('error');
  e.textContent = message;
  e.hidden = false;
  $('phase').textContent = 'failed';
  document.body.dataset.done = 'error';
}

async function main(): Promise<void> {
  const { checkId, token, backend } = params();
  if (!checkId || !token) return fail('Open this page as /edge/?check=<edge check id>#token=<API token> (the link createEdgeCheck gives).');
  try {
    const { report, submission } = await runEdgeCheck({
      url: location.origin,
      token,
      checkId,
      backend,
      wasmPaths: { 'tfjs-backend-wasm.wasm': wasmPlain, 'tfjs-backend-wasm-simd.wasm': wasmSimd, 'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimd },
      onProgress: showProgress,
    });
    $('phase').textContent = `done on ${report.backend.name}`;
    $<HTMLProgressElement>('bar').value = 1;
    $('chart').replaceChildren(drawCurve(report.square.curve, report.square.cleanAccuracy));
    $('chart-section').hidden = false;
    showTable(report, submission);
    document.body.dataset.reportId = submission.id;
    document.body.dataset.backend = report.backend.name;
    document.body.dataset.done = 'ok';
  } catch (e) {
    const err = e as { code?: string; message?: string };
    fail(`${err.code ? `${err.code}: ` : ''}${err.message ?? String(e)}`);
  }
}

void main();
