import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EdgePhase } from '@temper/edge/device';
import { edgeReportFlags, type EdgeReport, runEdgeCheck, SUBMIT_EDGE_REPORT_MUTATION } from '@temper/edge/device';
import { ErrorCodes, TemperError } from '@temper/edge';
import { sha256Hex } from '@temper/edge/io';
import { buildEdgeServerSide, type EdgeServerSide } from './edge-fixtures.ts';

/**
 * runEdgeCheck end to end over HTTP: a node:http server plays the API's part of the transport layout
 * (@temper/edge: device/transport.ts) with a CNN trained here on real MNIST, and the device side runs as a
 * browser would, through plain fetch. In plain Node there is no navigator.gpu, so the ladder lands on
 * wasm, the same backend as the server: agreement must be total.
 */

const TOKEN = 'tok-123';
let side: EdgeServerSide;
let server: Server;
let url: string;
const requests: { method: string; path: string; auth: string | undefined }[] = [];
const submissions: { checkId: string; report: EdgeReport; query: string }[] = [];

const SETTINGS = { eps: 0.2, squareQueries: 30, pgdSteps: 5, seed: 3, attackCount: 12, latency: { runs: 5, batchRuns: 2, batchSize: 32, warmup: 1 } };

function manifestFor(checkId: string, sampleSha256: string): Record<string, unknown> | null {
  const student = { name: 'student', modelJsonUrl: 'models/student/model.json', sha256: side.studentSha256 };
  // weightUrls exercised on the surrogate; the student's shard resolves next to its model.json.
  const surrogate = { name: 'mlp', modelJsonUrl: `${url}/files/mlp.json`, weightUrls: { 'weights.bin': '/files/mlp.bin' }, sha256: side.surrogateSha256 };
  const base = { bundleVersion: 1, checkId, student, surrogates: [surrogate], sampleUrl: 'sample.bin', sampleSha256, settings: SETTINGS };
  if (checkId === 'ok' || checkId === 'rejected' || checkId === 'graphql-error') return base;
  if (checkId === 'tampered') return { ...base, student: { ...student, sha256: 'f'.repeat(64) } };
  return null;
}

async function body(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

beforeAll(async () => {
  side = await buildEdgeServerSide({ sampleSize: 100 });
  const sampleSha256 = await sha256Hex([side.sampleBytes]);
  server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requests.push({ method: req.method ?? '', path, auth: req.headers.authorization });
    const send = (status: number, data: string | Uint8Array, type = 'application/octet-stream') => {
      res.writeHead(status, { 'content-type': type });
      res.end(data);
    };
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return send(401, '{"error":"unauthorized"}', 'application/json');
    if (req.method === 'POST' && path === '/graphql') {
      const { query, variables } = JSON.parse(await body(req));
      const { checkId, report } = variables.input;
      submissions.push({ checkId, report, query });
      const result =
        checkId === 'rejected'
          ? { __typename: 'NotFoundError', code: 'NOT_FOUND', message: 'No such edge check.', details: { checkId } }
          : { __typename: 'MutationSubmitEdgeReportSuccess', data: { id: `edge-${checkId}`, flags: edgeReportFlags(report).map(({ code, message }) => ({ code, message })) } };
      if (checkId === 'graphql-error') return send(200, JSON.stringify({ errors: [{ message: 'Unexpected error.' }] }), 'application/json');
      return send(200, JSON.stringify({ data: { submitEdgeReport: result } }), 'application/json');
    }
    const m = /^\/edge\/checks\/([^/]+)\/(.+)$/.exec(path);
    if (path === '/files/mlp.json') return send(200, side.surrogateFiles.modelJson, 'application/json');
    if (path === '/files/mlp.bin') return send(200, side.surrogateFiles.weightsBin);
    const manifest = m ? manifestFor(decodeURIComponent(m[1]), sampleSha256) : null;
    if (!m || !manifest) return send(404, 'not found', 'text/plain');
    if (m[2] === 'bundle') return send(200, JSON.stringify(manifest), 'application/json');
    if (m[2] === 'models/student/model.json') return send(200, side.studentFiles.modelJson, 'application/json');
    if (m[2] === 'models/student/weights.bin') return send(200, side.studentFiles.weightsBin);
    if (m[2] === 'sample.bin') return send(200, side.sampleBytes);
    return send(404, 'not found', 'text/plain');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 600_000);

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
});

async function codeOf(p: Promise<unknown>): Promise<{ code?: string; details?: Record<string, unknown> }> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(TemperError);
    return { code: (e as TemperError).code, details: (e as TemperError).details as Record<string, unknown> };
  }
  return {};
}

describe('runEdgeCheck over HTTP (real MNIST CNN, wasm device)', () => {
  it('downloads the bundle, runs every check, and submits the report through submitEdgeReport', async () => {
    const phases = new Set<EdgePhase>();
    const before = tf.memory().numTensors;
    const { report, submission } = await runEdgeCheck({ url, token: TOKEN, checkId: 'ok', onProgress: (p) => phases.add(p.phase) });
    // Only the models it loaded were freed; the server side's own models are untouched.
    expect(tf.memory().numTensors).toBe(before);
    console.log(
      `edge check over HTTP: backend ${report.backend.name}; clean ${report.clean.accuracy}; agreement ${report.agreement!.rate}; ` +
        `square ${report.square.robustAccuracy} (median ${report.square.medianQueriesFooled} queries); transfer ${report.transfer.robustAccuracy}; ` +
        `p50 ${report.latency.batch1.p50Ms.toFixed(2)} ms, ${report.latency.batch.throughputPerSec.toFixed(0)} img/s; sample ${side.sampleBytes.length} bytes`,
    );
    expect(submission).toEqual({ id: 'edge-ok', flags: [] });
    expect([...phases]).toEqual(['backend', 'download', 'clean', 'square', 'transfer', 'latency', 'submit']);

    expect(report.checkId).toBe('ok');
    expect(report.backend.name).toBe('wasm');
    expect(report.backend.attempts.map((a) => a.backend)).toEqual(['webgpu', 'webgl', 'wasm']);
    expect(report.model.sha256).toBe(side.studentSha256);
    expect(report.sample).toEqual({ count: 100, attacked: 12, sha256: await sha256Hex([side.sampleBytes]) });
    // Same weights, same backend, same quantized pixels: identical predictions.
    expect(report.agreement).toMatchObject({ count: 100, agree: 100, rate: 1, ok: true });
    expect(report.clean.accuracy).toBeCloseTo(side.studentTestAccuracy, 5);
    expect(Math.max(...report.square.queries)).toBeLessThanOrEqual(31);
    expect(report.transfer.surrogates).toEqual([expect.objectContaining({ name: 'mlp', sha256: side.surrogateSha256 })]);

    const sent = submissions.find((s) => s.checkId === 'ok')!;
    expect(sent.query).toBe(SUBMIT_EDGE_REPORT_MUTATION);
    expect(sent.report).toEqual(JSON.parse(JSON.stringify(report)));
    // Every request of the run carried the bearer token (all files have the API's origin here).
    expect(requests.every((r) => r.auth === `Bearer ${TOKEN}`)).toBe(true);
    expect(requests.map((r) => r.path)).toEqual(
      expect.arrayContaining([
        '/edge/checks/ok/bundle',
        '/edge/checks/ok/models/student/model.json',
        '/edge/checks/ok/models/student/weights.bin',
        '/files/mlp.json',
        '/files/mlp.bin',
        '/edge/checks/ok/sample.bin',
        '/graphql',
      ]),
    );
    // The binary sample: 28*28 bytes per image plus 4 bytes of label and prediction.
    expect(side.sampleBytes.length).toBe(24 + 100 * (784 + 4));
  });

  it('refuses a model whose bytes do not hash to what the server announced', async () => {
    const r = await codeOf(runEdgeCheck({ url, token: TOKEN, checkId: 'tampered' }));
    expect(r.code).toBe(ErrorCodes.EDGE_MODEL_HASH_MISMATCH);
    expect(r.details).toMatchObject({ model: 'student', expected: 'f'.repeat(64), actual: side.studentSha256 });
  });

  it('fails with the HTTP status for an unknown check or a bad token', async () => {
    expect(await codeOf(runEdgeCheck({ url, token: TOKEN, checkId: 'nope' }))).toMatchObject({ code: ErrorCodes.EDGE_BUNDLE_FETCH_FAILED, details: { status: 404 } });
    expect(await codeOf(runEdgeCheck({ url, token: 'wrong', checkId: 'ok' }))).toMatchObject({ code: ErrorCodes.EDGE_BUNDLE_FETCH_FAILED, details: { status: 401 } });
  });

  it('surfaces a domain error as EDGE_SUBMIT_REJECTED and GraphQL errors as EDGE_SUBMIT_FAILED', async () => {
    expect(await codeOf(runEdgeCheck({ url, token: TOKEN, checkId: 'rejected' }))).toMatchObject({
      code: ErrorCodes.EDGE_SUBMIT_REJECTED,
      details: { code: 'NOT_FOUND', typename: 'NotFoundError' },
    });
    expect(await codeOf(runEdgeCheck({ url, token: TOKEN, checkId: 'graphql-error' }))).toMatchObject({ code: ErrorCodes.EDGE_SUBMIT_FAILED });
  });
});
