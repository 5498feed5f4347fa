import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

const tooLarge = (limitBytes: number) =>
  new GraphQLError(`Request body exceeds the limit of ${limitBytes} bytes (TEMPER_BODY_LIMIT_MB).`, { extensions: { code: 'PAYLOAD_TOO_LARGE', http: { status: 413 } } });

/**
 * Answers 413 before reading a body whose declared length exceeds the limit, and counts the bytes
 * of a body that declares none (chunked) as it is read. A declared length needs no counting: HTTP
 * framing ends the body there. (This replaces yoga's own maxRequestBodySize, which pipes every
 * body through a counting stream - a sizeable share of a small query's cost - and whose 25 MB
 * default is below Temper's upload limit. Multipart file parts are also capped by formDataLimits.)
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
    onRequestParse({ request, requestParser, setRequestParser, fetchAPI }) {
      if (request.body == null || requestParser == null || /^\d+$/.test(request.headers.get('content-length') ?? '')) return;
      const parse = requestParser;
      setRequestParser((req) => {
        const body = req.body;
        if (!body) return parse(req);
        // As yoga does it: a native stream needs the native TransformStream.
        const Transform = body instanceof ReadableStream ? globalThis.TransformStream : fetchAPI.TransformStream;
        let read = 0;
        const counted = body.pipeThrough(
          new Transform<Uint8Array, Uint8Array>({
            transform(chunk, controller) {
              read += chunk.byteLength;
              if (read > limitBytes) controller.error(tooLarge(limitBytes));
              else controller.enqueue(chunk);
            },
          }),
        );
        return parse(new fetchAPI.Request(req.url, { method: req.method, headers: req.headers, signal: req.signal, body: counted, duplex: 'half' } as RequestInit));
      });
    },
  };
}
