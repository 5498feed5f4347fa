import type { z } from 'zod';

/**
 * A job's stored input or a worker's result that does not have its kind's shape. The API validates
 * requests before it stores them, so this means a row written by another version or a runner bug:
 * the job fails with this code instead of running on a guess.
 */
export class JobDataError extends Error {
  readonly code = 'JOB_DATA_INVALID';
  constructor(
    readonly what: string,
    readonly issues: readonly z.core.$ZodIssue[],
  ) {
    super(`The job's ${what} is invalid: ${issues.map((i) => `${i.path.join('.') || '$'}: ${i.message}`).join('; ')}`);
    this.name = 'JobDataError';
  }
}
