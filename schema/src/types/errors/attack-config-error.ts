import { AttackConfigError } from '../../../../edge/src/errors.ts';
import { errorType } from './domain-error.ts';

export const AttackConfigErrorType = errorType(AttackConfigError, 'AttackConfigError', 'Attack or evaluation settings that are out of range.');
