import { TemperError, type ErrorCode } from '../errors.ts';

/** Failures talking to the server: fetches, bundle contents, integrity, the report submission. */
export class EdgeTransportError extends TemperError {}

export function transportError(code: ErrorCode, message: string, details: Record<string, unknown> = {}, cause?: unknown): EdgeTransportError {
  return new EdgeTransportError(code, message, details, cause === undefined ? undefined : { cause });
}
