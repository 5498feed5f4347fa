/**
 * A write or read of stored data that failed for a reason of the server's disk, not of the request:
 * `STORAGE_FULL` (no space or quota left) or `STORAGE_ERROR` (read-only, permissions, I/O). The message
 * names the operation, never a path of the server's: clients see it; the log gets the cause.
 */
export class StorageError extends Error {
  constructor(
    readonly code: 'STORAGE_FULL' | 'STORAGE_ERROR',
    message: string,
    options: { cause: unknown },
  ) {
    super(message, options);
    this.name = 'StorageError';
  }
}

const FULL = new Set(['ENOSPC', 'EDQUOT']);

/** `e` as a StorageError for `operation` ("storing an uploaded file"); anything that is not an fs error is returned as it is. */
export function storageError(e: unknown, operation: string): unknown {
  const code = (e as { code?: unknown })?.code;
  if (typeof code !== 'string' || !/^E[A-Z]+$/.test(code)) return e;
  return FULL.has(code)
    ? new StorageError('STORAGE_FULL', `The server's storage is full while ${operation}; nothing was stored. Try again once space is freed.`, { cause: e })
    : new StorageError('STORAGE_ERROR', `The server's storage failed while ${operation} (${code}); nothing was stored.`, { cause: e });
}
