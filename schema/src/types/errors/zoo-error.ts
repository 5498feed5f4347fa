import { ZooError } from '@temper/edge';
import { errorType } from './domain-error.ts';

export const ZooErrorType = errorType(ZooError, 'ZooError', 'An unknown zoo architecture or options it cannot take.');
