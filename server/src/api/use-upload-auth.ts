import type { Plugin } from 'graphql-yoga';
import { authenticate } from '../auth/bearer.ts';
import type { Store } from '../store/store.ts';

/**
 * Multipart bodies (uploads, up to TEMPER_BODY_LIMIT_MB) are answered 401 before a byte of them is read
 * when the request has no valid token: otherwise anyone could make the API parse 128 MB to learn that.
 */
export function useUploadAuth(store: Store): Plugin {
  return {
    async onRequest({ request, fetchAPI, endResponse }) {
      if (!request.headers.get('content-type')?.toLowerCase().startsWith('multipart/form-data')) return;
      if (await authenticate(store, request.headers.get('authorization'))) return;
      endResponse(
        new fetchAPI.Response(JSON.stringify({ errors: [{ message: 'Uploads need a valid API token (Authorization: Bearer <token>).', extensions: { code: 'UNAUTHENTICATED' } }] }), {
          status: 401,
          headers: { 'content-type': 'application/json' },
        }),
      );
    },
  };
}
