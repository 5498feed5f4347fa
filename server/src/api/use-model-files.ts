import { decodeGlobalID } from '@pothos/plugin-relay';
import type { Plugin } from 'graphql-yoga';
import type { ArtifactStore } from '../artifacts/artifact-store.ts';
import { authenticate } from '../auth/bearer.ts';
import type { Store } from '../store/store.ts';

const ROUTE = /^\/files\/models\/([^/]+)\/([^/]+)$/;

/**
 * GET /files/models/<model global id>/<file> with the bearer token: model.json and its weight
 * shards, as the CLI and the edge evaluator download them (weights resolve next to model.json).
 * Another owner's model answers 404, exactly like a model that does not exist.
 */
export function useModelFiles(store: Store, artifacts: ArtifactStore, log: (line: string) => void = () => {}): Plugin {
  return {
    async onRequest({ request, url, fetchAPI, endResponse }) {
      const m = ROUTE.exec(url.pathname);
      if (!m) return;
      const json = (status: number, message: string) =>
        endResponse(new fetchAPI.Response(JSON.stringify({ error: message }), { status, headers: { 'content-type': 'application/json' } }));
      if (request.method !== 'GET' && request.method !== 'HEAD') return json(405, 'Use GET.');
      const owner = await authenticate(store, request.headers.get('authorization'));
      if (!owner) return json(401, 'Send a valid API token as "Authorization: Bearer <token>".');
      let id: string;
      try {
        const decoded = decodeGlobalID(decodeURIComponent(m[1]));
        if (decoded.typename !== 'Model') return json(404, 'No such model.');
        id = decoded.id;
      } catch {
        return json(404, 'No such model.');
      }
      const [model] = await store.modelsByIds(owner.id, [id]);
      const file = model?.files.find((f) => f.name === decodeURIComponent(m[2]));
      if (!model || !file) return json(404, 'No such model file.');
      let bytes: Uint8Array;
      try {
        bytes = await artifacts.get(file.artifact);
      } catch (e) {
        // The cause (with the server's path) goes to the log, never to the client.
        log(`model file ${file.artifact} could not be read: ${(e as Error).message}`);
        return json(500, 'The stored model file could not be read.');
      }
      endResponse(
        new fetchAPI.Response(request.method === 'HEAD' ? null : (bytes as Uint8Array<ArrayBuffer>), {
          status: 200,
          headers: {
            'content-type': file.name.endsWith('.json') ? 'application/json' : 'application/octet-stream',
            'content-length': String(bytes.byteLength),
            etag: `"${file.artifact}"`,
            'cache-control': 'private, max-age=31536000, immutable',
          },
        }),
      );
    },
  };
}
