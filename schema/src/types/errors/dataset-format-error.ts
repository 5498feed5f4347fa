import { DatasetFormatError } from '@temper/edge';
import { errorType } from './domain-error.ts';

export const DatasetFormatErrorType = errorType(DatasetFormatError, 'DatasetFormatError', 'A dataset file that is malformed, truncated or inconsistent (DATASET_* codes).');
