import { TrainingConfigError } from '@temper/edge';
import { errorType } from './domain-error.ts';

export const TrainingConfigErrorType = errorType(TrainingConfigError, 'TrainingConfigError', 'Training or hardening settings that are out of range or inconsistent.');
