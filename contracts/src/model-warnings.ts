/**
 * Stable codes of model warnings. A model's warnings are stored as strings; those with a code start with
 * "CODE: " (the loader's free-text notes have none), so every reader can type them the same way.
 */
export const ModelWarningCodes = {
  /** The upload's quick pass over a built-in dataset with the model's shape gave at most twice chance accuracy. */
  UPLOAD_NEAR_CHANCE_ACCURACY: 'UPLOAD_NEAR_CHANCE_ACCURACY',
} as const;
export type ModelWarningCode = (typeof ModelWarningCodes)[keyof typeof ModelWarningCodes];

/** The code a stored warning starts with, or null for a free-text note. */
export function modelWarningCode(warning: string): ModelWarningCode | null {
  const m = /^([A-Z][A-Z0-9_]+): /.exec(warning);
  return m && (Object.values(ModelWarningCodes) as string[]).includes(m[1]) ? (m[1] as ModelWarningCode) : null;
}
