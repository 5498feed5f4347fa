import { z } from 'zod';
import type { HardeningProgress } from '../../hardening/contract.ts';
import { autoTeacherSpec } from '../../teachers/auto-teacher.ts';
import { attackSpec, producedModel, robustnessReport } from './shared.ts';

/** hardenModel: the stored request, what it reports while it runs, and what it leaves behind. */

export const hardenInput = z.object({
  eps: z.number().positive(),
  epochs: z.number().int().nonnegative(),
  batchSize: z.number().int().positive().nullish(),
  params: z.record(z.string(), z.unknown()).nullish(),
  evaluation: z
    .object({
      eps: z.array(z.number()).nullish(),
      sampleSize: z.number().int().positive().nullish(),
      // An AutoAttack version name, or the caller's own list.
      attacks: z.union([z.enum(['standard', 'plus', 'rand']), z.array(attackSpec)]).nullish(),
    })
    .nullish(),
  name: z.string().nullish(),
  /** teacher: AUTO: the teacher to reuse by key, or to train as the job's first stage when the owner has none. */
  autoTeacher: autoTeacherSpec.nullish(),
});
export type HardenInput = z.infer<typeof hardenInput>;

/**
 * The engine's progress (training steps, then its own evaluation), or the loading step before it.
 * `stage` says whose: the auto teacher's (teacher: AUTO, the job's first stage) or the student's.
 */
export type HardenProgress = (HardeningProgress | { readonly phase: 'preparing'; readonly message: string }) & { readonly stage?: 'teacher' | 'student' };

export const hardenResult = z.object({
  model: producedModel,
  report: robustnessReport,
  summary: z.object({ training: z.unknown() }),
});
export type HardenResult = z.infer<typeof hardenResult>;
