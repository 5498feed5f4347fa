import type { EdgeThresholdsRecord } from '@temper/contracts';
import type { EdgeVerdict as Verdict, EdgeVerdictReason as Reason } from '@temper/edge/device';
import { builder } from '../builder.ts';

/** The verdict on an edge report (@temper/edge: device/verdict.ts) and the thresholds it is judged by. */

export const EdgeThresholds = builder.objectRef<EdgeThresholdsRecord>('EdgeThresholds').implement({
  description: 'Minimums an edge report must reach to pass, each in [0,1]; null ones are not checked.',
  fields: (t) => ({
    minCleanAccuracy: t.float({ nullable: true, resolve: (x) => x.minCleanAccuracy ?? null }),
    minRobustAccuracy: t.float({ nullable: true, description: "At the check's eps: the lower of Square's and transfer's robust accuracy.", resolve: (x) => x.minRobustAccuracy ?? null }),
    minAgreement: t.float({ nullable: true, description: "Fraction of the sample where the device's clean predictions match the server's.", resolve: (x) => x.minAgreement ?? null }),
  }),
});

export const EdgeIntegrity = builder.enumType('EdgeIntegrity', {
  description: 'OK, or FLAGGED when the server raised integrity flags on the report (the device may not compute the served model).',
  values: ['OK', 'FLAGGED'] as const,
});

export const EdgeRobustness = builder.enumType('EdgeRobustness', {
  description: 'PASSED or FAILED against the thresholds; NOT_CHECKED when the check has none.',
  values: ['PASSED', 'FAILED', 'NOT_CHECKED'] as const,
});

export const EdgeVerdictReason = builder.objectRef<Reason>('EdgeVerdictReason').implement({
  description: 'One threshold the report missed.',
  fields: (t) => ({
    code: t.exposeString('code', { description: 'EDGE_CLEAN_BELOW_THRESHOLD, EDGE_ROBUST_BELOW_THRESHOLD, EDGE_AGREEMENT_BELOW_THRESHOLD or EDGE_MEASURE_MISSING.' }),
    message: t.exposeString('message'),
    measure: t.exposeString('measure', { description: 'cleanAccuracy, robustAccuracy or agreement.' }),
    threshold: t.exposeFloat('threshold'),
    actual: t.exposeFloat('actual', { nullable: true, description: 'null when the report lacks the measure.' }),
  }),
});

export const EdgeVerdict = builder.objectRef<Verdict>('EdgeVerdict').implement({
  description: 'PASSED only when the report is unflagged and meets every threshold; FLAGGED (integrity) and FAILED (robustness) are kept apart.',
  fields: (t) => ({
    status: t.exposeString('status', { description: 'PASSED, FLAGGED or FAILED (EdgeCheckStatus without PENDING).' }),
    integrity: t.field({ type: EdgeIntegrity, resolve: (v) => v.integrity }),
    robustness: t.field({ type: EdgeRobustness, resolve: (v) => v.robustness }),
    flagCodes: t.exposeStringList('flagCodes'),
    reasons: t.field({ type: [EdgeVerdictReason], resolve: (v) => [...v.reasons] }),
    summary: t.exposeString('summary', { description: 'One sentence: the status and why.' }),
  }),
});
