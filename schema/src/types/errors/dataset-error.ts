import { DatasetError } from '@temper/edge';
import { errorType } from './domain-error.ts';

export const DatasetErrorType = errorType(DatasetError, 'DatasetError', 'A dataset name or split request that cannot be served.');
