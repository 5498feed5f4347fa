import { UploadError } from '../../errors.ts';
import { errorType } from './domain-error.ts';

export const UploadErrorType = errorType(UploadError, 'UploadError', 'The multipart request lacks a file the mutation needs, or carries one too many or too large.');
