import { ModelFormatError } from '@temper/edge';
import { errorType } from './domain-error.ts';

export const ModelFormatErrorType = errorType(ModelFormatError, 'ModelFormatError', 'A model file, manifest, shard or model metadata Temper cannot accept (MODEL_* codes).');
