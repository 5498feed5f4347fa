import { z } from 'zod';
import { attackSpec, robustnessReport } from './shared.ts';

/** evaluateModel: the stored request, what it reports while it runs, and what it leaves behind. */

export const evaluateInput = z.object({
  eps: z.array(z.number().nonnegative()).min(1),
  attacks: z.array(attackSpec).nullish(),
  sampleSize: z.number().int().positive().nullish(),
});
export type EvaluateInput = z.infer<typeof evaluateInput>;

export type EvaluateProgress =
  | { readonly phase: 'preparing'; readonly message: string }
  | {
      readonly phase: 'evaluating';
      readonly message: string;
      /** Index of the eps being attacked, and how many there are. */
      readonly step: number;
      readonly totalSteps: number;
      /** Of the whole evaluation: every (eps, attack) stage counts alike, each by its samples done. */
      readonly fraction: number;
      /** Within the current attack stage. */
      readonly samplesDone?: number;
      readonly samplesTotal?: number;
      readonly attack?: string;
      readonly eps?: number;
      /** Share of the sample still robust at the current eps, after the stages that finished. */
      readonly robustAccuracy?: number;
      readonly etaSeconds?: number;
    };

export const evaluateResult = z.object({ report: robustnessReport });
export type EvaluateResult = z.infer<typeof evaluateResult>;
