import { AttackConfigError } from '@temper/edge';
import { errorType } from './domain-error.ts';

export const AttackConfigErrorType = errorType(AttackConfigError, 'AttackConfigError', 'Attack or evaluation settings that are out of range.');
