import type { Plugin } from 'graphql-yoga';

/**
 * Answers 413 before reading a body whose declared length exceeds the limit. (Multipart file parts
 * are capped at the same size by the fetch API's formDataLimits, which covers chunked bodies.)
 */
export function useBodyLimit(limitBytes: number): Plugin {
  return {
    onRequest({ request, fetchAPI, endResponse }) {
      const length = Number(request.headers.get('content-length') ?? 0);
      if (length > limitBytes) {
        endResponse(
          new fetchAPI.Response(JSON.stringify({ errors: [{ message: `Request body of ${length} bytes exceeds the limit of ${limitBytes} bytes (TEMPER_BODY_LIMIT_MB).`, extensions: { code: 'PAYLOAD_TOO_LARGE' } }] }), {
            status: 413,
            headers: { 'content-type': 'application/json' },
          }),
        );
      }
    },
  };
}
