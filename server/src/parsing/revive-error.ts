import { DatasetError, DatasetFormatError, ModelCompatibilityError, ModelFormatError, TemperError, type ErrorCode } from '@temper/edge';
import { ConflictError, InvalidRequestError, UploadError, type ApiErrorCode } from '@temper/schema';
import type { SerializedError } from './remote-error.ts';

const TEMPER = { ModelFormatError, ModelCompatibilityError, DatasetFormatError, DatasetError, TemperError } as const;
const API = { UploadError, InvalidRequestError, ConflictError } as const;

/** The error a thread sent (remote-error.ts) as the class the schema matches, with its code and details. */
export function reviveError(s: SerializedError): Error {
  let e: Error;
  if (s.code && s.name in TEMPER) e = new TEMPER[s.name as keyof typeof TEMPER](s.code as ErrorCode, s.message, s.details ?? {});
  else if (s.code && s.name in API) e = new API[s.name as keyof typeof API](s.code as ApiErrorCode, s.message, s.details ?? {});
  else e = Object.assign(new Error(s.message), s.code ? { code: s.code } : {});
  if (s.stack) e.stack = s.stack;
  return e;
}
