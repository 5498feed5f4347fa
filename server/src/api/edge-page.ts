import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'graphql-yoga';

/**
 * The /edge page (issue #7, edge/page, built by `npm run build:edge-page` into edge/page/dist): served
 * as static files at /edge/ (index.html) and /edge/assets/* (Vite's hashed bundle and tfjs' .wasm
 * files), without authentication: the page itself holds no data and calls the API with the token in
 * its URL. /edge/checks/... stays with the bundle routes (edge-checks.ts).
 */

export const DEFAULT_EDGE_PAGE_DIR = fileURLToPath(new URL('../../../edge/page/dist/', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.map': 'application/json',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

export function useEdgePage(dir: string = DEFAULT_EDGE_PAGE_DIR): Plugin {
  const root = resolve(dir);
  return {
    async onRequest({ request, url, fetchAPI, endResponse }) {
      const path = url.pathname;
      if (path !== '/edge' && path !== '/edge/' && path !== '/edge/index.html' && !path.startsWith('/edge/assets/')) return;
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        return endResponse(new fetchAPI.Response('Method not allowed', { status: 405, headers: { allow: 'GET, HEAD' } }));
      }
      if (path === '/edge') return endResponse(new fetchAPI.Response(null, { status: 308, headers: { location: `/edge/${url.search}` } }));
      const rel = path.startsWith('/edge/assets/') ? decodeURIComponent(path.slice('/edge/'.length)) : 'index.html';
      const file = resolve(root, rel);
      if (!file.startsWith(root + sep) || !existsSync(file)) {
        const missing = rel === 'index.html' ? 'The edge page is not built: run `npm run build:edge-page`.' : 'Not found.';
        return endResponse(new fetchAPI.Response(missing, { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } }));
      }
      const body = await readFile(file);
      const headers: Record<string, string> = {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        // Hashed asset names never change content; index.html must be revalidated.
        'cache-control': rel === 'index.html' ? 'no-cache' : 'public, max-age=31536000, immutable',
        'x-content-type-options': 'nosniff',
      };
      return endResponse(new fetchAPI.Response(request.method === 'HEAD' ? null : body, { status: 200, headers }));
    },
  };
}

