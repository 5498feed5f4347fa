import { ZooError } from '../../../../edge/src/errors.ts';
import { errorType } from './domain-error.ts';

export const ZooErrorType = errorType(ZooError, 'ZooError', 'An unknown zoo architecture or options it cannot take.');
