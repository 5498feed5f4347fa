import { builder } from '../builder.ts';
import type { EvaluationRecord } from '@temper/contracts';
import { Dataset } from './dataset.ts';
import { EpsPoint } from './eps-point.ts';
import { EvaluationFlag } from './evaluation-flag.ts';
import { Model } from './model.ts';

type Report = { epsCurve?: { eps: number; robustAccuracy: number }[]; flags?: { code: string; message: string; eps?: number }[]; seed?: number; backend?: string; numExamples?: number; tfjsVersion?: string };
const report = (e: EvaluationRecord) => e.report as Report;

export const Evaluation = builder.loadableNode('Evaluation', {
  description: 'A robustness report: clean accuracy and the worst case over an attack ensemble at each eps.',
  id: { resolve: (e: EvaluationRecord) => e.id },
  load: (ids: string[], ctx) => (ctx.viewer ? ctx.services.evaluationsByIds(ctx.viewer.id, ids) : Promise.resolve(ids.map(() => null))),
  fields: (t) => ({
    model: t.field({ type: Model, nullable: true, description: 'null once the model is deleted.', resolve: (e) => e.modelId }),
    dataset: t.field({ type: Dataset, nullable: true, resolve: (e) => e.datasetId }),
    cleanAccuracy: t.exposeFloat('cleanAccuracy'),
    epsCurve: t.field({ type: [EpsPoint], resolve: (e) => report(e).epsCurve ?? [] }),
    flags: t.field({ type: [EvaluationFlag], resolve: (e) => report(e).flags ?? [] }),
    numExamples: t.int({ resolve: (e) => report(e).numExamples ?? 0 }),
    seed: t.int({ resolve: (e) => report(e).seed ?? 0 }),
    backend: t.string({ resolve: (e) => report(e).backend ?? '' }),
    report: t.field({ type: 'JSON', description: 'The full RobustnessReport (@temper/edge: evaluation/report.ts), per-sample results included.', resolve: (e) => e.report }),
    createdAt: t.field({ type: 'DateTime', resolve: (e) => e.createdAt }),
  }),
});

builder.objectField(Model, 'evaluations', (t) =>
  t.loadableList({
    type: Evaluation,
    description: 'Evaluations of this model, newest first.',
    load: async (modelIds: string[], ctx) => {
      if (!ctx.viewer) return modelIds.map(() => []);
      const ids = await ctx.services.evaluationIdsByModelIds(ctx.viewer.id, modelIds);
      const all = await ctx.services.evaluationsByIds(ctx.viewer.id, ids.flat());
      const byId = new Map(all.filter((e) => e !== null).map((e) => [e!.id, e!]));
      return ids.map((list) => list.map((id) => byId.get(id)).filter((e) => e !== undefined));
    },
    resolve: (m) => m.id,
  }),
);
