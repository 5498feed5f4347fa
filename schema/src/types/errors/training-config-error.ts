import { TrainingConfigError } from '../../../../edge/src/errors.ts';
import { errorType } from './domain-error.ts';

export const TrainingConfigErrorType = errorType(TrainingConfigError, 'TrainingConfigError', 'Training or hardening settings that are out of range or inconsistent.');
