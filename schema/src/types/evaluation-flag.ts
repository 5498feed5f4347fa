import { builder } from '../builder.ts';

export const EvaluationFlag = builder.objectRef<{ code: string; message: string; eps?: number }>('EvaluationFlag').implement({
  description: 'A sanity-check warning about the evaluation (masked gradients, probability outputs...).',
  fields: (t) => ({
    code: t.exposeString('code'),
    message: t.exposeString('message'),
    eps: t.float({ nullable: true, resolve: (f) => f.eps ?? null }),
  }),
});
