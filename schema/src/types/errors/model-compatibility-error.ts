import { ModelCompatibilityError } from '@temper/edge';
import { errorType } from './domain-error.ts';

export const ModelCompatibilityErrorType = errorType(ModelCompatibilityError, 'ModelCompatibilityError', 'A well-formed model that does not fit the dataset or the method (e.g. MODEL_GRAPH_FORMAT, MODEL_INPUT_SHAPE_MISMATCH).');
