import { decodeGlobalID } from '@pothos/plugin-relay';
import { z } from 'zod';
import { DatasetError, ModelCompatibilityError } from '@temper/edge';
import { builder } from '../../builder.ts';
import { InvalidRequestError, NotFoundError } from '../../errors.ts';
import { Dataset } from '../dataset.ts';
import { EdgeCheck } from '../edge-check.ts';
import { Model } from '../model.ts';

const CreateEdgeCheckInput = builder.inputType('CreateEdgeCheckInput', {
  fields: (t) => ({
    model: t.globalID({ for: Model, description: 'The student the device checks.' }),
    dataset: t.globalID({ for: Dataset, description: 'The sample is the first sampleSize rows of its test split.' }),
    sampleSize: t.int({ required: false, defaultValue: 200, validate: z.number().int().min(1).max(2000) }),
    squareQueries: t.int({ required: false, defaultValue: 1000, validate: z.number().int().min(1).max(10000) }),
    eps: t.float({ validate: z.number().gt(0).max(1) }),
    pgdSteps: t.int({ required: false, defaultValue: 10, validate: z.number().int().min(1).max(200) }),
    attackCount: t.int({ required: false, description: 'Rows Square and transfer attack (default min(sampleSize, 100)).', validate: z.number().int().min(1).max(2000) }),
    surrogates: t.globalIDList({ for: Model, description: 'Models the transfer attack crafts on (at least one).', validate: z.array(z.any()).min(1).max(4) }),
    seed: t.int({ required: false, defaultValue: 0, validate: z.number().int().min(0).max(2 ** 31 - 1) }),
    minCleanAccuracy: t.float({ required: false, description: 'A report below this clean accuracy FAILS.', validate: z.number().min(0).max(1) }),
    minRobustAccuracy: t.float({ required: false, description: "A report below this robust accuracy at eps (lower of Square and transfer) FAILS.", validate: z.number().min(0).max(1) }),
    minAgreement: t.float({ required: false, description: "A report whose clean predictions match the server's on less than this fraction FAILS.", validate: z.number().min(0).max(1) }),
  }),
});

builder.mutationField('createEdgeCheck', (t) =>
  t.field({
    type: EdgeCheck,
    description: 'Creates an edge check: builds the sample with the server\'s clean predictions; a device then runs its bundle.',
    errors: { types: [NotFoundError, ModelCompatibilityError, DatasetError, InvalidRequestError] },
    args: { input: t.arg({ type: CreateEdgeCheckInput }) },
    resolve: (_r, { input }, ctx) =>
      ctx.services.createEdgeCheck(ctx.viewer!.id, {
        modelId: input.model.id,
        datasetId: input.dataset.id,
        surrogateIds: input.surrogates.map((s) => s.id),
        sampleSize: input.sampleSize ?? 200,
        squareQueries: input.squareQueries ?? 1000,
        eps: input.eps,
        pgdSteps: input.pgdSteps ?? 10,
        attackCount: input.attackCount ?? null,
        seed: input.seed ?? 0,
        thresholds: { minCleanAccuracy: input.minCleanAccuracy ?? null, minRobustAccuracy: input.minRobustAccuracy ?? null, minAgreement: input.minAgreement ?? null },
      }),
  }),
);

const SubmitEdgeReportInput = builder.inputType('SubmitEdgeReportInput', {
  fields: (t) => ({
    checkId: t.id({ description: "The EdgeCheck's id." }),
    report: t.field({ type: 'JSON', description: 'The EdgeReport (@temper/edge: device/report.ts).' }),
  }),
});

builder.mutationField('submitEdgeReport', (t) =>
  t.field({
    type: EdgeCheck,
    description: 'Stores a device report on an edge check; the server recomputes the flags itself.',
    errors: { types: [NotFoundError, InvalidRequestError] },
    args: { input: t.arg({ type: SubmitEdgeReportInput }) },
    resolve: (_r, { input }, ctx) => {
      const gid = String(input.checkId);
      let id: string;
      try {
        const d = decodeGlobalID(gid);
        if (d.typename !== 'EdgeCheck') throw new Error('not an EdgeCheck');
        id = d.id;
      } catch {
        throw new NotFoundError('EdgeCheck', gid);
      }
      return ctx.services.submitEdgeReport(ctx.viewer!.id, id, input.report);
    },
  }),
);
