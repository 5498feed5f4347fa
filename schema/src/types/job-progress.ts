import type { JobProgressRecord } from '@temper/contracts';
import { builder } from '../builder.ts';

/** Events carry their payload as JSON: a field is served only when it has its declared type. */
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown) => (typeof v === 'string' ? v : null);

export const JobProgress = builder.objectRef<JobProgressRecord>('JobProgress').implement({
  description: 'The latest progress report of a job: what a progress bar shows.',
  fields: (t) => ({
    phase: t.string({ nullable: true, description: 'preparing, training, evaluating or predicting.', resolve: (p) => str(p.phase) }),
    stage: t.string({ nullable: true, description: 'Hardening with teacher AUTO: "teacher" while the job trains its teacher (its first stage), then "student".', resolve: (p) => str(p.stage) }),
    epoch: t.int({ nullable: true, resolve: (p) => num(p.epoch) }),
    epochs: t.int({ nullable: true, resolve: (p) => num(p.epochs) }),
    step: t.int({ nullable: true, resolve: (p) => num(p.step) }),
    totalSteps: t.int({ nullable: true, resolve: (p) => num(p.totalSteps) }),
    fraction: t.float({
      description: 'Done fraction in [0,1] of the current phase (evaluations: of the whole evaluation).',
      resolve: (p) => {
        const total = num(p.totalSteps);
        return Math.max(0, Math.min(1, num(p.fraction) ?? (total ? (num(p.step) ?? 0) / total : 0)));
      },
    }),
    terms: t.field({ type: 'JSON', nullable: true, description: 'Every loss term of the method by name, plus loss.', resolve: (p) => p.terms ?? null }),
    learningRate: t.float({ nullable: true, resolve: (p) => num(p.learningRate) }),
    examplesPerSecond: t.float({ nullable: true, resolve: (p) => num(p.examplesPerSecond) }),
    etaSeconds: t.float({ nullable: true, resolve: (p) => num(p.etaSeconds) }),
    heldOutCleanAccuracy: t.float({ nullable: true, resolve: (p) => num(p.heldOutCleanAccuracy) }),
    heldOutPgdAccuracy: t.float({ nullable: true, resolve: (p) => num(p.heldOutPgdAccuracy) }),
    samplesDone: t.int({ nullable: true, description: 'Evaluations: samples attacked so far in the current attack stage.', resolve: (p) => num(p.samplesDone) }),
    samplesTotal: t.int({ nullable: true, description: 'Evaluations: samples the current attack stage attacks (those still robust).', resolve: (p) => num(p.samplesTotal) }),
    attack: t.string({ nullable: true, description: 'Evaluations: the attack running now.', resolve: (p) => str(p.attack) }),
    eps: t.float({ nullable: true, description: 'Evaluations: the radius being attacked now.', resolve: (p) => num(p.eps) }),
    robustAccuracy: t.float({ nullable: true, description: 'Evaluations: share of the sample still robust at the current eps, after the finished attack stages.', resolve: (p) => num(p.robustAccuracy) }),
    message: t.string({ nullable: true, resolve: (p) => str(p.message) }),
  }),
});
