import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import type { Plugin } from 'graphql-yoga';

/**
 * The web app (issue #16, web/, built by `npm run build:web` into web/dist) at / and /assets/*, and
 * GraphiQL at /graphiql (and GET /graphql from a browser) from @graphql-yoga/render-graphiql, whose
 * page carries GraphiQL's code inline: yoga's default loads it from a CDN that many networks cannot
 * reach. The app holds no data without a token, so these routes are unauthenticated.
 */

export const DEFAULT_WEB_APP_DIR = fileURLToPath(new URL('../../../web/dist/', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.png': 'image/png',
};

const STARTER_QUERY = `# Your runs and models. The Authorization header comes from the web app's sign-in.
query Start {
  viewer {
    name
    jobs(first: 10) { edges { node { id kind status } } }
    models(first: 10) { edges { node { id name architecture } } }
  }
  serverInfo { version backend }
}
`;

// Replaced in the rendered page by an expression: GraphiQL's headers come from the app's tab session.
const HEADERS_SENTINEL = '__TEMPER_HEADERS__';
const HEADERS_EXPR = `(function(){try{var t=sessionStorage.getItem('temper.token');return t?JSON.stringify({Authorization:'Bearer '+t},null,2):''}catch(e){return ''}})()`;

let graphiqlPage: string | null = null;
function graphiql(): string {
  // 9 MB of inlined GraphiQL: rendered once, on first use.
  graphiqlPage ??= renderGraphiQL({ title: 'Temper GraphiQL', endpoint: '/graphql', subscriptionsProtocol: 'GRAPHQL_SSE', defaultQuery: STARTER_QUERY, headers: HEADERS_SENTINEL, shouldPersistHeaders: false }).replace(
    JSON.stringify(HEADERS_SENTINEL),
    HEADERS_EXPR,
  );
  return graphiqlPage;
}

const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.svg', '.json']);
const gzipped = new Map<string, { mtimeMs: number; body: NonSharedBuffer }>();

/** The file gzipped once per build (keyed by its mtime): the app's script is ~190 KB raw, ~57 KB gzipped. */
async function gzippedFile(file: string): Promise<NonSharedBuffer> {
  const { mtimeMs } = await stat(file);
  const hit = gzipped.get(file);
  if (hit && hit.mtimeMs === mtimeMs) return hit.body;
  const body = gzipSync(await readFile(file), { level: 9 });
  gzipped.set(file, { mtimeMs, body });
  return body;
}

export interface WebAppOptions {
  readonly dir?: string;
  /** Serve GraphiQL (off in production, as yoga's own). */
  readonly graphiql?: boolean;
}

export function useWebApp(options: WebAppOptions = {}): Plugin {
  const root = resolve(options.dir ?? DEFAULT_WEB_APP_DIR);
  return {
    async onRequest({ request, url, fetchAPI, endResponse }) {
      const path = url.pathname;
      const get = request.method === 'GET' || request.method === 'HEAD';
      const wantsHtml = (request.headers.get('accept') ?? '').includes('text/html');
      if (options.graphiql && get && (path === '/graphiql' || (path === '/graphql' && wantsHtml && !url.searchParams.has('query')))) {
        return endResponse(new fetchAPI.Response(request.method === 'HEAD' ? null : graphiql(), { status: 200, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' } }));
      }
      const isAsset = path.startsWith('/assets/');
      if (path !== '/' && path !== '/index.html' && !isAsset) return;
      if (!get) return endResponse(new fetchAPI.Response('Method not allowed', { status: 405, headers: { allow: 'GET, HEAD' } }));
      const rel = isAsset ? decodeURIComponent(path.slice(1)) : 'index.html';
      const file = resolve(root, rel);
      if (!file.startsWith(root + sep) || !existsSync(file)) {
        const missing = rel === 'index.html' ? 'The web app is not built: run `npm run build:web`.' : 'Not found.';
        return endResponse(new fetchAPI.Response(missing, { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } }));
      }
      const gzip = COMPRESSIBLE.has(extname(file)) && /\bgzip\b/.test(request.headers.get('accept-encoding') ?? '');
      const body = gzip ? await gzippedFile(file) : await readFile(file);
      const headers: Record<string, string> = {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'cache-control': rel === 'index.html' ? 'no-cache' : 'public, max-age=31536000, immutable',
        'x-content-type-options': 'nosniff',
        vary: 'accept-encoding',
        ...(gzip ? { 'content-encoding': 'gzip' } : {}),
      };
      return endResponse(new fetchAPI.Response(request.method === 'HEAD' ? null : body, { status: 200, headers }));
    },
  };
}
