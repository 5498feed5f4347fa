import { builder } from '../builder.ts';

type P = Readonly<Record<string, unknown>>;
const num = (p: P, k: string) => (typeof p[k] === 'number' ? (p[k] as number) : null);

export const JobProgress = builder.objectRef<P>('JobProgress').implement({
  description: 'The latest progress report of a job: what a progress bar shows.',
  fields: (t) => ({
    phase: t.string({ nullable: true, description: 'preparing, training or evaluating.', resolve: (p) => (typeof p['phase'] === 'string' ? p['phase'] : null) }),
    epoch: t.int({ nullable: true, resolve: (p) => num(p, 'epoch') }),
    epochs: t.int({ nullable: true, resolve: (p) => num(p, 'epochs') }),
    step: t.int({ nullable: true, resolve: (p) => num(p, 'step') }),
    totalSteps: t.int({ nullable: true, resolve: (p) => num(p, 'totalSteps') }),
    fraction: t.float({ description: 'Done fraction in [0,1] of the current phase.', resolve: (p) => Math.max(0, Math.min(1, num(p, 'fraction') ?? (num(p, 'totalSteps') ? (num(p, 'step') ?? 0) / num(p, 'totalSteps')! : 0))) }),
    terms: t.field({ type: 'JSON', nullable: true, description: 'Every loss term of the method by name, plus loss.', resolve: (p) => p['terms'] ?? null }),
    learningRate: t.float({ nullable: true, resolve: (p) => num(p, 'learningRate') }),
    examplesPerSecond: t.float({ nullable: true, resolve: (p) => num(p, 'examplesPerSecond') }),
    etaSeconds: t.float({ nullable: true, resolve: (p) => num(p, 'etaSeconds') }),
    heldOutCleanAccuracy: t.float({ nullable: true, resolve: (p) => num(p, 'heldOutCleanAccuracy') }),
    heldOutPgdAccuracy: t.float({ nullable: true, resolve: (p) => num(p, 'heldOutPgdAccuracy') }),
    message: t.string({ nullable: true, resolve: (p) => (typeof p['message'] === 'string' ? p['message'] : null) }),
  }),
});
