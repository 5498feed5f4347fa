import type { RobustnessReport } from '@temper/edge/evaluation';
import { z } from 'zod';

/** Pieces every job kind's schema shares: attack specs as requests carry them, and the evaluation report's known part. */

export const attackSpec = z.object({ attack: z.string().min(1), config: z.record(z.string(), z.unknown()).nullish() });
export type AttackSpecInput = z.infer<typeof attackSpec>;

/**
 * A robustness report as @temper/edge/evaluation writes it. The store reads its clean accuracy and
 * keeps the rest as produced, so only the parts every reader relies on are checked.
 */
export const robustnessReport = z.custom<RobustnessReport>((v) => {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Partial<Record<keyof RobustnessReport, unknown>>;
  return typeof r.cleanAccuracy === 'number' && r.cleanAccuracy >= 0 && r.cleanAccuracy <= 1 && Array.isArray(r.results) && Array.isArray(r.epsCurve);
}, 'expected a robustness report (cleanAccuracy in [0,1], results, epsCurve)');

/** The model a job produced, described as the store records models (protocol.ts ProducedModel). */
export const producedModel = z.object({
  files: z.array(z.object({ name: z.string(), artifact: z.string(), bytes: z.number().int().nonnegative() })),
  producer: z.string().nullable(),
  inputShape: z.array(z.number().int()),
  numClasses: z.number().int().positive(),
  parameterCount: z.number().int().nonnegative(),
  sha256: z.string(),
  featureLayer: z.string(),
  outputsWereSoftmax: z.boolean(),
  preprocessing: z.unknown(),
  architecture: z.string().nullable(),
  warnings: z.array(z.string()),
});
