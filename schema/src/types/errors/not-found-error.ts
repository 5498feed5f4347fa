import { NotFoundError } from '../../errors.ts';
import { errorType } from './domain-error.ts';

export const NotFoundErrorType = errorType(NotFoundError, 'NotFoundError', 'No such object, or it belongs to another owner.');
