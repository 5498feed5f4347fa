import type { FetchFn } from '@temper/clients';

/**
 * A fetch for the SDK that reports upload progress. fetch() has no upload progress events in any
 * browser (request streams are Chromium-only and need HTTP/2), XMLHttpRequest has: the SDK builds
 * the multipart body, this sends it and says how much has gone.
 */
export function progressFetch(onProgress: (sent: number, total: number) => void): FetchFn {
  return (input, init = {}) =>
    new Promise<Response>((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open(init.method ?? 'GET', input instanceof Request ? input.url : String(input));
      new Headers(init.headers).forEach((value, name) => xhr.setRequestHeader(name, value));
      xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded, e.total);
      xhr.onload = () => {
        const headers = new Headers();
        for (const line of xhr.getAllResponseHeaders().trim().split(/[\r\n]+/)) {
          const at = line.indexOf(':');
          if (at > 0) headers.append(line.slice(0, at).trim(), line.slice(at + 1).trim());
        }
        resolve(new Response(xhr.responseText, { status: xhr.status, statusText: xhr.statusText, headers }));
      };
      // The SDK turns a TypeError into its 'unreachable' error, as it does for fetch's own.
      xhr.onerror = () => reject(new TypeError('Network error while uploading.'));
      xhr.onabort = () => reject(new DOMException('Upload aborted.', 'AbortError'));
      init.signal?.addEventListener('abort', () => xhr.abort(), { once: true });
      xhr.send((init.body ?? null) as XMLHttpRequestBodyInit | null);
    });
}
