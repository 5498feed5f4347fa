import type { AdversarialExampleReport, RobustnessReport } from '@temper/edge/evaluation';

/**
 * Reading per-sample results and the gallery out of a stored RobustnessReport (any version the store
 * holds: labels and clean predictions are absent from reports written before they were added). The
 * report is plain JSON from the database, so every access tolerates a missing section.
 */

export interface SampleAtEps {
  readonly eps: number;
  readonly epsFraction: string | null;
  readonly robust: boolean;
  /** The attack that fooled the example; null where none did. */
  readonly attack: string | null;
  readonly step: number | null;
  readonly query: number | null;
  readonly margin: number | null;
  readonly prediction: number | null;
}

export interface SampleView {
  readonly index: number;
  readonly label: number | null;
  readonly cleanPrediction: number | null;
  readonly cleanCorrect: boolean;
  readonly results: readonly SampleAtEps[];
}

export interface ExampleView extends AdversarialExampleReport {
  readonly eps: number;
  readonly epsFraction: string | null;
}

type Results = RobustnessReport['results'];

/** Same radius: reports store eps as given; a GraphQL Float of 8/255 arrives with the same bits, a typed 0.0313725 close to it. */
const sameEps = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a));

/** Thrown for an eps the evaluation did not run (the resolver turns it into EPS_NOT_EVALUATED). */
export class EpsNotEvaluated extends Error {
  constructor(
    readonly eps: number,
    readonly evaluated: readonly number[],
  ) {
    super(`This evaluation ran at eps ${evaluated.join(', ') || '(none)'}, not ${eps}.`);
  }
}

function resultsAt(report: Partial<RobustnessReport>, eps: number | null | undefined): Results {
  const all = report.results ?? [];
  if (eps == null) return all;
  const r = all.filter((x) => sameEps(x.eps, eps));
  if (r.length === 0) throw new EpsNotEvaluated(eps, all.map((x) => x.eps));
  return r;
}

/**
 * Per-example rows, filtered: with `eps`, only that radius's result; with `robust`, only the examples
 * robust (true) or not robust (false) at every selected radius (false: fooled or misclassified at some).
 */
export function reportSamples(report: Partial<RobustnessReport>, filter: { eps?: number | null; robust?: boolean | null }): SampleView[] {
  const results = resultsAt(report, filter.eps);
  const n = report.numExamples ?? results[0]?.samples?.robust.length ?? 0;
  const out: SampleView[] = [];
  for (let i = 0; i < n; i++) {
    const atEps: SampleAtEps[] = results.map((r) => {
      const s = r.samples;
      const by = s?.fooledBy[i] ?? -1;
      const num = (v: number | null | undefined) => (v === undefined || v === null || v < 0 ? null : v);
      return {
        eps: r.eps,
        epsFraction: r.epsFraction ?? null,
        robust: (s?.robust[i] ?? r.robust?.[i] ?? 0) === 1,
        attack: by >= 0 ? (r.attacks[by]?.attack ?? null) : null,
        step: num(s?.fooledAtStep[i]),
        query: num(s?.fooledAtQuery[i]),
        margin: s?.margin[i] ?? null,
        prediction: s?.prediction[i] ?? null,
      };
    });
    if (filter.robust != null) {
      const robustEverywhere = atEps.every((x) => x.robust);
      if (filter.robust !== robustEverywhere) continue;
    }
    const label = report.labels?.[i] ?? null;
    const cleanPrediction = report.cleanPredictions?.[i] ?? null;
    out.push({
      index: i,
      label,
      cleanPrediction,
      // Robust at any eps implies correct; older reports without labels fall back to that.
      cleanCorrect: label !== null && cleanPrediction !== null ? label === cleanPrediction : atEps.some((x) => x.robust) || atEps.some((x) => x.attack !== null),
      results: atEps,
    });
  }
  return out;
}

/** The stored gallery at one eps, or at every eps when none is given. */
export function reportExamples(report: Partial<RobustnessReport>, eps: number | null | undefined): ExampleView[] {
  return resultsAt(report, eps).flatMap((r) => (r.examples ?? []).map((e) => ({ ...e, eps: r.eps, epsFraction: r.epsFraction ?? null })));
}
