import { z } from 'zod';
import { producedModel } from './shared.ts';

/** createZooModel: the stored request, what it reports while it runs, and what it leaves behind. */

export const zooInput = z.object({
  architecture: z.string().min(1),
  epochs: z.number().int().nonnegative(),
  featureWidth: z.number().int().positive().nullish(),
  batchSize: z.number().int().positive().nullish(),
  name: z.string().nullish(),
});
export type ZooInput = z.infer<typeof zooInput>;

export type ZooProgress =
  | { readonly phase: 'preparing'; readonly message: string }
  | {
      readonly phase: 'training';
      readonly epoch: number;
      readonly epochs: number;
      readonly step: number;
      readonly totalSteps: number;
      readonly terms: Readonly<Record<string, number>>;
      readonly learningRate: number;
      readonly examplesPerSecond: number;
      readonly etaSeconds: number;
      readonly heldOutCleanAccuracy?: number;
    };

export const zooResult = z.object({
  model: producedModel,
  summary: z.object({ testAccuracy: z.number(), seconds: z.number() }).optional(),
});
export type ZooResult = z.infer<typeof zooResult>;
