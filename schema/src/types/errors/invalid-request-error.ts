import { InvalidRequestError } from '../../errors.ts';
import { errorType } from './domain-error.ts';

export const InvalidRequestErrorType = errorType(InvalidRequestError, 'InvalidRequestError', 'Arguments that do not fit together (TEACHER_REQUIRED, DATASET_MISMATCH).');
