import { COMMON_METHOD_PARAMS, hardeningMethodByName } from '@temper/contracts';
import { ErrorCodes, TrainingConfigError } from '@temper/edge';

/**
 * Refuses `params` a method does not take when the job is requested (TRAINING_INVALID_CONFIG,
 * naming the setting and the method's known ones), not minutes later when the worker resolves
 * them. Values are still checked by the worker (hardening/params.ts), which knows their ranges.
 */
export function validateMethodParams(method: string, params: unknown): void {
  if (params === null || params === undefined) return;
  const entry = hardeningMethodByName(method);
  if (!entry) return;
  const known = [...entry.params, ...COMMON_METHOD_PARAMS];
  if (typeof params !== 'object' || Array.isArray(params)) {
    throw new TrainingConfigError(ErrorCodes.TRAINING_INVALID_CONFIG, `${method}: params must be an object of settings (known: ${known.join(', ')}).`, { method, known });
  }
  for (const key of Object.keys(params)) {
    if (!known.includes(key)) {
      throw new TrainingConfigError(ErrorCodes.TRAINING_INVALID_CONFIG, `${method}: unknown setting "${key}" (known: ${known.join(', ')}).`, { method, param: key, known });
    }
  }
}
