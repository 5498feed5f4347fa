import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTemperServer, type CreateServerOptions, type TemperServer } from '../app.ts';

/**
 * A server on a fresh temp data dir; `workers: 0` (the default here) leaves jobs queued, and no
 * shipped teachers are handed out (`teachersDir: null`) so that each test sees only the models it made.
 */
export async function startTestServer(options: CreateServerOptions = {}): Promise<TemperServer & { token: string; dataDir: string; dispose(): Promise<void> }> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'temper-test-'));
  const server = await createTemperServer({ workers: 0, log: () => {}, graphiql: false, teachersDir: null, ...options, dataDir });
  const token = server.initialToken?.token ?? '';
  return Object.assign(server, {
    token,
    dataDir,
    async dispose() {
      await server.close();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  });
}

export interface GqlResult<T = Record<string, any>> {
  data?: T;
  errors?: { message: string; extensions?: Record<string, unknown>; path?: (string | number)[] }[];
}

type Fetchable = { fetch(...args: any[]): Promise<Response> | Response };

/** POSTs a GraphQL JSON request through yoga.fetch (no network). */
export async function gql<T = Record<string, any>>(yoga: Fetchable, token: string | null, query: string, variables: Record<string, unknown> = {}): Promise<GqlResult<T>> {
  const res = await yoga.fetch('http://temper.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as GqlResult<T>;
}

/**
 * A GraphQL multipart request (jaydenseric's spec) as real FormData: `files` maps a variable path
 * such as "input.modelJson" or "input.weights.0" to a file.
 */
export function multipart(query: string, variables: Record<string, unknown>, files: Record<string, { name: string; bytes: Uint8Array | string }>): FormData {
  const form = new FormData();
  const vars = structuredClone(variables);
  const map: Record<string, string[]> = {};
  Object.keys(files).forEach((path, i) => {
    map[String(i)] = [`variables.${path}`];
    const parts = path.split('.');
    let node = vars as Record<string, any>;
    for (const p of parts.slice(0, -1)) node = node[p] ??= /^\d+$/.test(parts[parts.indexOf(p) + 1] ?? '') ? [] : {};
    node[parts[parts.length - 1]] = null;
  });
  form.append('operations', JSON.stringify({ query, variables: vars }));
  form.append('map', JSON.stringify(map));
  Object.entries(files).forEach(([, f], i) => form.append(String(i), new Blob([typeof f.bytes === 'string' ? f.bytes : (f.bytes as Uint8Array<ArrayBuffer>)]), f.name));
  return form;
}

export async function gqlMultipart<T = Record<string, any>>(yoga: Fetchable, token: string, form: FormData): Promise<GqlResult<T>> {
  const res = await yoga.fetch('http://temper.test/graphql', { method: 'POST', headers: { authorization: `Bearer ${token}`, 'graphql-preflight': '1' }, body: form });
  return (await res.json()) as GqlResult<T>;
}
