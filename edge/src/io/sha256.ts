/**
 * Hex SHA-256 of the concatenation of `parts`, through WebCrypto so it runs in browsers, workers
 * and Node alike. WebCrypto has no streaming digest, so large models are hashed from one copy.
 */
export async function sha256Hex(parts: readonly Uint8Array[]): Promise<string> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) throw new Error('WebCrypto (globalThis.crypto.subtle) is unavailable; a secure context or Node >= 19 is required.');
  let data: Uint8Array;
  if (parts.length === 1) {
    data = parts[0];
  } else {
    data = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
    let offset = 0;
    for (const p of parts) {
      data.set(p, offset);
      offset += p.byteLength;
    }
  }
  const digest = new Uint8Array(await subtle.digest('SHA-256', data as Uint8Array<ArrayBuffer>));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}
