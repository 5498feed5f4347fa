import { ConflictError } from '../../errors.ts';
import { errorType } from './domain-error.ts';

export const ConflictErrorType = errorType(ConflictError, 'ConflictError', "The request conflicts with the object's state (MODEL_IN_USE, JOB_FINISHED).");
