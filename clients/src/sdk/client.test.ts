import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { tinyIdxDataset, tinyModelFiles, startTestServer } from '@temper/server/testing';
import { TemperClient, type FetchFn, type JobEvent } from './client.ts';
import { TemperClientError } from './errors.ts';
import { WhoAmIQuery } from './operations.ts';

/**
 * The SDK against the real yoga app in-process (its `fetch`, no socket; workers: 0 keeps jobs
 * queued until the test cancels them): typed requests, multipart uploads, domain errors as codes,
 * subscriptions over SSE, and a dropped stream resumed after the last sequence seen.
 */

let server: Awaited<ReturnType<typeof startTestServer>>;
let client: TemperClient;
const yogaFetch: FetchFn = (input, init) => Promise.resolve(server.yoga.fetch(new URL(input instanceof Request ? input.url : input), init ?? {}));
let modelId = '';
let datasetId = '';

beforeAll(async () => {
  server = await startTestServer();
  client = new TemperClient({ url: 'http://temper.test', token: server.token, fetch: yogaFetch, retryDelayMs: () => 10 });
  const { modelJson, weightsBin } = await tinyModelFiles(3);
  const model = await client.uploadModel({ name: 'tiny', modelJson: { name: 'model.json', data: new Blob([modelJson]) }, weights: [{ name: 'weights.bin', data: new Blob([weightsBin as Uint8Array<ArrayBuffer>]) }] });
  modelId = model.id;
  const { images, labels } = await tinyIdxDataset(100);
  const ds = await client.uploadDataset({ name: 'digits', format: 'IDX', images: { name: 'i.idx', data: new Blob([images as Uint8Array<ArrayBuffer>]) }, labels: { name: 'l.idx', data: new Blob([labels as Uint8Array<ArrayBuffer>]) } });
  datasetId = ds.id;
});
afterAll(async () => {
  client?.dispose();
  await server?.dispose();
});

const queueJob = async () => (await client.hardenModel({ method: 'NATURAL', student: modelId, dataset: datasetId, eps: 0.1, epochs: 1 })).id;

describe('requests and uploads', () => {
  test('typed queries; multipart uploads come back as typed objects', async () => {
    const r = await client.request(WhoAmIQuery);
    expect(r.viewer.name).toBe('owner');
    const model = await client.node(modelId);
    expect(model).toMatchObject({ __typename: 'Model', name: 'tiny', inputShape: [28, 28, 1], numClasses: 10 });
    expect(model?.__typename === 'Model' && model.files.map((f) => f.name).sort()).toEqual(['model.json', 'weights.bin']);
    const ds = await client.node(datasetId);
    expect(ds).toMatchObject({ __typename: 'Dataset', count: 100, datasetFormat: 'IDX' });
  });

  test('a refused upload is a TemperClientError with the server code; nothing else is thrown', async () => {
    const { modelJson } = await tinyModelFiles(3);
    const e = await client.uploadModel({ name: 'x', modelJson: { name: 'model.json', data: new Blob([modelJson]) }, weights: [] }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(TemperClientError);
    expect(e).toMatchObject({ kind: 'rejected', code: 'MODEL_MISSING_SHARD' });
  });

  test('domain errors of mutations: unknown ids are not-found, bad combinations rejected', async () => {
    await expect(client.hardenModel({ method: 'RRM', student: modelId, dataset: datasetId, eps: 0.1, epochs: 1 })).rejects.toMatchObject({ kind: 'rejected', code: 'TEACHER_REQUIRED' });
    await expect(client.cancelJob('SGFyZGVuaW5nSm9iOjk5OQ==')).rejects.toMatchObject({ kind: 'not-found' });
    await expect(client.jobOrEvaluation('SGFyZGVuaW5nSm9iOjk5OQ==')).rejects.toMatchObject({ kind: 'not-found', code: 'NOT_FOUND' });
    await expect(client.jobOrEvaluation('not-an-id')).rejects.toMatchObject({ kind: 'not-found' });
    expect(await client.node('SGFyZGVuaW5nSm9iOjk5OQ==')).toBeNull();
  });

  test('a bad token is unauthenticated; a closed port is unreachable; a malformed URL is refused up front', async () => {
    const bad = new TemperClient({ url: 'http://temper.test', token: 'tmp_wrong', fetch: yogaFetch });
    await expect(bad.request(WhoAmIQuery)).rejects.toMatchObject({ kind: 'unauthenticated', code: 'UNAUTHENTICATED' });
    const port = await closedPort();
    const down = new TemperClient({ url: `http://127.0.0.1:${port}`, token: 'x' });
    await expect(down.request(WhoAmIQuery)).rejects.toMatchObject({ kind: 'unreachable', code: 'UNREACHABLE' });
    expect(() => new TemperClient({ url: 'localhost 4000' })).toThrow(TemperClientError);
    expect(new TemperClient({ url: 'http://h:4000' }).endpoint).toBe('http://h:4000/graphql');
  });
});

describe('subscriptions', () => {
  test('followJob streams the timeline, then live events, until the job ends', async () => {
    const id = await queueJob();
    const events: JobEvent[] = [];
    const following = client.followJob(id, { onEvent: (e) => events.push(e) });
    await until(() => events.length >= 1);
    await client.cancelJob(id);
    const result = await following;
    expect(result).toMatchObject({ status: 'CANCELLED', aborted: false });
    expect(events.map((e) => e.sequence)).toEqual(events.map((_, i) => i + 1));
    expect(events[0]).toMatchObject({ kind: 'STATUS', status: 'QUEUED' });
    expect(events.at(-1)).toMatchObject({ kind: 'STATUS', status: 'CANCELLED' });
  });

  test('a dropped stream reconnects and resumes after the last sequence: no gap, no repeat', async () => {
    const id = await queueJob();
    const bodies: Record<string, any>[] = [];
    let cut = false;
    // The first SSE response dies right after its first event, the way a proxy timeout cuts it.
    const flaky: FetchFn = async (input, init) => {
      const res = await yogaFetch(input, init);
      if (!String(init?.body ?? '').includes('subscription')) return res;
      bodies.push(JSON.parse(String(init!.body)));
      if (cut) return res;
      cut = true;
      return new Response(cutAfterFirstEvent(res.body!), { status: res.status, headers: res.headers });
    };
    const c = new TemperClient({ url: 'http://temper.test', token: server.token, fetch: flaky, retryDelayMs: () => 10 });
    const events: JobEvent[] = [];
    const reconnects: number[] = [];
    const following = c.followJob(id, { onEvent: (e) => events.push(e), onReconnect: (s) => reconnects.push(s) });
    await until(() => bodies.length >= 2);
    await client.cancelJob(id);
    expect((await following).status).toBe('CANCELLED');
    c.dispose();
    expect(reconnects).toEqual([1]);
    expect(bodies.map((b) => b.variables.afterSequence)).toEqual([0, 1]);
    expect(events.map((e) => e.sequence)).toEqual(events.map((_, i) => i + 1));
  });

  test('following an unknown job is NOT_FOUND (the server masks it as an internal error)', async () => {
    await expect(client.followJob('SGFyZGVuaW5nSm9iOjk5OQ==')).rejects.toMatchObject({ kind: 'not-found' });
  });

  test('an abort stops following and reports the status last seen', async () => {
    const id = await queueJob();
    const abort = new AbortController();
    const following = client.followJob(id, { signal: abort.signal, onEvent: () => abort.abort() });
    expect(await following).toMatchObject({ status: 'QUEUED', aborted: true, lastSequence: 1 });
    await client.cancelJob(id);
  });
});

function cutAfterFirstEvent(body: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let seen = '';
  return new ReadableStream({
    async pull(controller) {
      // Hold everything back until the first complete `next` event, pass exactly that, then fail.
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return controller.close();
        seen += decoder.decode(value, { stream: true });
        const at = seen.indexOf('event: next');
        const end = at >= 0 ? seen.indexOf('\n\n', at) : -1;
        if (end >= 0) {
          controller.enqueue(new TextEncoder().encode(seen.slice(0, end + 2)));
          await reader.cancel();
          controller.error(new TypeError('terminated'));
          return;
        }
      }
    },
    cancel: () => reader.cancel(),
  });
}

async function until(cond: () => boolean, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A port nothing listens on: bound, then closed. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}
