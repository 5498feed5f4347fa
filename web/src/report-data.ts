import type { AdversarialExampleReport, AttackStageReport, RobustnessReport } from '@temper/edge/evaluation/catalogue';

/**
 * The one place the web app reads the stored report's JSON (format v2, @temper/edge
 * evaluation/report.ts). The adversarial examples come from `report.results[].examples` today; when
 * the API types them (`Evaluation.examples`), `examplesByEps` reads that field first and nothing
 * else changes.
 */

export interface EvaluationLike {
  readonly report?: unknown;
  readonly examples?: unknown;
}

export interface ExamplesAtEps {
  readonly eps: number;
  readonly examples: readonly AdversarialExampleReport[];
}

const reportOf = (ev: EvaluationLike): Partial<RobustnessReport> => (ev.report && typeof ev.report === 'object' ? (ev.report as Partial<RobustnessReport>) : {});

function isExample(x: unknown): x is AdversarialExampleReport {
  const e = x as Partial<AdversarialExampleReport> | null;
  if (!e || !Array.isArray(e.shape) || e.shape.length !== 3 || !Array.isArray(e.clean) || !Array.isArray(e.adversarial)) return false;
  const size = e.shape.reduce((a: number, b: number) => a * b, 1);
  return size > 0 && e.clean.length === size && e.adversarial.length === size && Number.isInteger(e.label) && Number.isInteger(e.adversarialPrediction);
}

/** Fooled examples per eps (ascending eps); malformed entries are dropped, not drawn as noise. */
export function examplesByEps(ev: EvaluationLike): ExamplesAtEps[] {
  const typed = ev.examples as { eps: number; examples: unknown[] }[] | undefined;
  const source = Array.isArray(typed) ? typed : (reportOf(ev).results ?? []).map((r) => ({ eps: r.eps, examples: (r.examples ?? []) as unknown[] }));
  return source
    .filter((r) => typeof r.eps === 'number')
    .map((r) => ({ eps: r.eps, examples: (Array.isArray(r.examples) ? r.examples : []).filter(isExample) }))
    .sort((a, b) => a.eps - b.eps);
}

/** Each attack's share of the ensemble at each eps, in the order they ran. */
export function stagesByEps(ev: EvaluationLike): { eps: number; robustAccuracy: number; stages: readonly AttackStageReport[] }[] {
  return (reportOf(ev).results ?? []).map((r) => ({ eps: r.eps, robustAccuracy: r.robustAccuracy, stages: r.attacks ?? [] }));
}

/** The settings a reader needs to reproduce the numbers. */
export function settingsOf(ev: EvaluationLike): [string, string][] {
  const r = reportOf(ev);
  const rows: [string, string][] = [];
  const add = (k: string, v: unknown) => v !== undefined && v !== null && rows.push([k, typeof v === 'object' ? JSON.stringify(v) : String(v)]);
  add('seed', r.seed);
  add('examples', r.numExamples);
  add('AutoAttack version', r.autoAttack ? `${r.autoAttack.version} (${r.autoAttack.norm})` : undefined);
  add('backend', r.backend);
  add('tfjs', r.tfjsVersion);
  add('libraries', r.libraries);
  add('report format', r.version);
  add('dataset', r.dataset ? `${r.dataset.name}, ${r.dataset.inputShape?.join('×')}, ${r.dataset.numClasses} classes` : undefined);
  add('split', r.dataset?.split);
  add('model sha256', r.model?.sha256);
  for (const a of r.attacks ?? []) add(`attack ${a.attack} (${a.kind})`, a.settings);
  add('elapsed', r.elapsedMs !== undefined ? `${(r.elapsedMs / 1000).toFixed(1)} s` : undefined);
  return rows;
}
