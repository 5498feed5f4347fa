import { z } from 'zod';

/**
 * The sample of an edge check (createEdgeCheck): the first test images, quantized as the device
 * decodes them, with the server's clean predictions on them. Built by a worker, never in the API.
 */

export const edgeSampleInput = z.object({ sampleSize: z.number().int().positive() });
export type EdgeSampleInput = z.infer<typeof edgeSampleInput>;

export type EdgeSampleProgress = { readonly phase: 'preparing' | 'predicting'; readonly message: string };

export const edgeSampleResult = z.object({
  summary: z.object({
    /** The encoded sample's artifact (its content address). */
    sampleArtifact: z.string().regex(/^[0-9a-f]{64}$/),
    /** Images in it (the request, capped by the test split). */
    count: z.number().int().nonnegative(),
  }),
});
export type EdgeSampleResult = z.infer<typeof edgeSampleResult>;
