import type { EvaluationFieldsFragment, JobFieldsFragment } from '../sdk/gql/graphql.ts';
import { duration, epsLabel, num, pct, table } from './format.ts';

/**
 * A robustness report as the CLI shows it: clean accuracy, the worst-case robust accuracy at each
 * eps, and what each attack of the ensemble left standing. Read from the Evaluation's fields and
 * its stored RobustnessReport (@temper/edge: evaluation/report.ts), without the per-sample arrays.
 */

export interface StageSummary {
  readonly attack: string;
  /** Worst-case robust accuracy after this attack (cumulative over the attacks before it). */
  readonly robustAccuracyAfter: number;
  /** Examples this attack fooled that every attack before it had left standing (a count, not a time). */
  readonly examplesFooled: number;
}

export interface EpsSummary {
  readonly eps: number;
  readonly robustAccuracy: number;
  readonly stages: readonly StageSummary[];
}

export interface EvaluationSummary {
  readonly id: string;
  readonly model: { readonly id: string | null; readonly name: string | null; readonly sha256: string | null };
  readonly dataset: string | null;
  readonly cleanAccuracy: number;
  readonly numExamples: number;
  readonly seed: number;
  readonly backend: string;
  /** The ensemble, in the order it ran. */
  readonly attacks: readonly string[];
  readonly points: readonly EpsSummary[];
  readonly flags: readonly { readonly code: string; readonly message: string; readonly eps: number | null }[];
}

export interface JobSummary {
  readonly id: string;
  readonly type: string;
  readonly kind: string;
  readonly status: string;
  readonly method: string | null;
  readonly error: { readonly code: string; readonly message: string } | null;
  readonly resultModel: { readonly id: string; readonly name: string } | null;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  /** Wall-clock seconds from start to end (null until both are known). */
  readonly durationSeconds: number | null;
}

function secondsBetween(start: string | null | undefined, end: string | null | undefined): number | null {
  if (!start || !end) return null;
  const s = (Date.parse(end) - Date.parse(start)) / 1000;
  return Number.isFinite(s) && s >= 0 ? s : null;
}

export function summarizeJob(job: JobFieldsFragment): JobSummary {
  return {
    id: job.id,
    type: job.__typename,
    kind: job.kind,
    status: job.status,
    method: job.__typename === 'HardeningJob' ? job.method : null,
    error: job.error ?? null,
    resultModel: job.__typename === 'HardeningJob' || job.__typename === 'ZooTrainingJob' ? (job.resultModel ?? null) : null,
    startedAt: job.startedAt ?? null,
    finishedAt: job.finishedAt ?? null,
    durationSeconds: secondsBetween(job.startedAt, job.finishedAt),
  };
}

export function summarizeEvaluation(e: EvaluationFieldsFragment): EvaluationSummary {
  const report = (e.report ?? {}) as { attacks?: { attack?: unknown }[]; results?: { eps?: unknown; robustAccuracy?: unknown; attacks?: { attack?: unknown; robustAccuracyAfter?: unknown; took?: unknown }[] }[] };
  const attacks = (report.attacks ?? []).map((a) => String(a.attack));
  const results = report.results ?? [];
  const points = e.epsCurve.map((p) => {
    const r = results.find((x) => typeof x.eps === 'number' && Math.abs(x.eps - p.eps) < 1e-9);
    // The stored report calls the count `took`; the CLI's JSON names what it counts.
    const stages = (r?.attacks ?? []).map((s) => ({ attack: String(s.attack), robustAccuracyAfter: Number(s.robustAccuracyAfter), examplesFooled: Number(s.took) }));
    return { eps: p.eps, robustAccuracy: p.robustAccuracy, stages };
  });
  return {
    id: e.id,
    model: { id: e.model?.id ?? null, name: e.model?.name ?? null, sha256: e.model?.sha256 ?? null },
    dataset: e.dataset?.name ?? null,
    cleanAccuracy: e.cleanAccuracy,
    numExamples: e.numExamples,
    seed: e.seed,
    backend: e.backend,
    attacks,
    points,
    flags: e.flags.map((f) => ({ code: f.code, message: f.message, eps: f.eps ?? null })),
  };
}

/** The readable report: a header, then one row per eps with the worst case and each attack's share. */
export function formatReport(job: JobSummary | null, ev: EvaluationSummary | null): string {
  const lines: string[] = [];
  if (job) {
    lines.push(`job        ${job.id}  ${job.kind}${job.method ? ` ${job.method}` : ''}  ${job.status}`);
    if (job.resultModel) lines.push(`model      ${job.resultModel.name} (${job.resultModel.id})`);
    if (job.error) lines.push(`error      ${job.error.code}: ${job.error.message}`);
    if (job.startedAt || job.finishedAt) lines.push(`ran        ${job.startedAt ?? '-'} to ${job.finishedAt ?? '-'}${job.durationSeconds !== null ? ` (${duration(job.durationSeconds)})` : ''}`);
  }
  if (!ev) {
    lines.push(noEvaluationLine(job));
    return lines.join('\n');
  }
  if (!job || !job.resultModel) lines.push(`model      ${ev.model.name ?? '(deleted)'}${ev.model.id ? ` (${ev.model.id})` : ''}`);
  lines.push(`evaluation ${ev.id}`);
  lines.push(`dataset    ${ev.dataset ?? '-'}, ${ev.numExamples} test examples, seed ${ev.seed}, backend ${ev.backend}`);
  lines.push(`attacks    ${ev.attacks.join(', ') || '-'} (worst case per example)`);
  lines.push(`clean      ${pct(ev.cleanAccuracy)}`);
  lines.push('');
  const header = ['eps', 'robust', ...ev.attacks.map((a) => `after ${a}`)];
  const rows = ev.points.map((p) => [epsLabel(p.eps), pct(p.robustAccuracy), ...ev.attacks.map((_, i) => pct(p.stages[i]?.robustAccuracyAfter))]);
  lines.push(table(header, rows));
  if (ev.flags.length) {
    lines.push('');
    for (const f of ev.flags) lines.push(`flag       ${f.code}${f.eps !== null ? ` at eps ${num(f.eps)}` : ''}: ${f.message}`);
  }
  return lines.join('\n');
}

/** Why there is no table: how the job ended, or that it has not. */
export function noEvaluationLine(job: JobSummary | null): string {
  switch (job?.status) {
    case 'SUCCEEDED':
      return 'no robustness evaluation for this job';
    case 'FAILED':
      return `no robustness evaluation: the job failed${job.error ? ` with ${job.error.code}` : ''}${job.finishedAt ? ` at ${job.finishedAt}` : ''}${job.durationSeconds !== null ? ` after ${duration(job.durationSeconds)}` : ''}`;
    case 'CANCELLED':
      return `no robustness evaluation: the job was cancelled${job.finishedAt ? ` at ${job.finishedAt}` : ''}${job.startedAt ? '' : ' before it started'}`;
    default:
      return 'no robustness evaluation yet';
  }
}

/** The `--json` document of report and gate. */
export function reportJson(job: JobSummary | null, ev: EvaluationSummary | null): Record<string, unknown> {
  return { job, evaluation: ev };
}
