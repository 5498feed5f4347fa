import type { JsonObject } from '../attacks/types.ts';
import { AGREEMENT_THRESHOLD, type AgreementReport } from './agreement.ts';
import type { EdgeBackendAttempt, EdgeBackendName } from './backend-ladder.ts';
import type { DeviceDetails } from './device-info.ts';
import type { LatencyReport } from './latency.ts';

/**
 * The edge check's report: plain JSON (no typed arrays, no NaN), submitted as the `report` of the
 * submitEdgeReport mutation and shown by the /edge page. Accuracies are over the rows named (clean and
 * agreement: the whole sample; Square and transfer: the first `sample.attacked` rows), with clean
 * mistakes counted as not robust, as the server's evaluation counts them.
 */
export const EDGE_REPORT_VERSION = 1;

export const EdgeFlagCodes = {
  /** The device's clean predictions agree with the server's on fewer than 99.5% of the sample. */
  EDGE_PREDICTION_DISAGREEMENT: 'EDGE_PREDICTION_DISAGREEMENT',
  /** The sample carried no server predictions, so agreement could not be checked. */
  EDGE_NO_AGREEMENT_CHECK: 'EDGE_NO_AGREEMENT_CHECK',
} as const;
export type EdgeFlagCode = (typeof EdgeFlagCodes)[keyof typeof EdgeFlagCodes];

export interface EdgeFlag {
  readonly code: EdgeFlagCode;
  readonly message: string;
  readonly details: JsonObject;
}

export interface QueryCurvePoint {
  /** Queries spent per sample (the initial query included). */
  readonly queries: number;
  /** Robust accuracy had Square stopped after that many queries. */
  readonly robustAccuracy: number;
}

export interface SquareSection {
  readonly eps: number;
  /** Square's `queries` (AutoAttack's n_queries): iterations after the initial query. */
  readonly queryBudget: number;
  /** The most queries one sample can take: queryBudget + 1. */
  readonly maxQueriesPerSample: number;
  readonly cleanAccuracy: number;
  readonly robustAccuracy: number;
  /** Rows fooled (clean-correct, then misclassified). */
  readonly fooled: number;
  /** Per attacked row, queries to the student (0 where the clean image was already wrong). */
  readonly queries: readonly number[];
  readonly medianQueriesFooled: number | null;
  readonly meanQueriesFooled: number | null;
  /** Robust accuracy against the query budget, for the page's chart; ends at maxQueriesPerSample. */
  readonly curve: readonly QueryCurvePoint[];
  readonly settings: JsonObject;
  readonly seed: string;
  readonly elapsedMs: number;
}

export interface TransferSurrogateResult {
  readonly name: string;
  readonly sha256: string | null;
  /**
   * The surrogate's own accuracy on the crafted points (white-box on it: how strong the crafting was),
   * over the rows crafted; null when none were.
   */
  readonly accuracyOnCrafted: number | null;
}

export interface TransferSection {
  readonly eps: number;
  readonly steps: number;
  readonly surrogates: readonly TransferSurrogateResult[];
  readonly cleanAccuracy: number;
  /** The student's accuracy on the points crafted on the surrogates. */
  readonly robustAccuracy: number;
  readonly fooled: number;
  readonly settings: JsonObject;
  readonly seed: string;
  readonly elapsedMs: number;
}

export interface EdgeReport {
  readonly reportVersion: typeof EDGE_REPORT_VERSION;
  readonly checkId: string | null;
  readonly model: {
    /** As given by the caller: runEdgeCheck passes the hash of the bytes it downloaded and loaded. */
    readonly sha256: string;
    readonly inputShape: readonly [number, number, number];
    readonly numClasses: number;
  };
  readonly sample: {
    readonly count: number;
    /** Rows Square and transfer attacked: the first `attacked` rows of the sample. */
    readonly attacked: number;
    readonly sha256: string | null;
  };
  readonly settings: {
    readonly eps: number;
    readonly squareQueries: number;
    readonly pgdSteps: number;
    readonly seed: string;
    readonly attackCount: number;
  };
  readonly backend: {
    readonly name: EdgeBackendName;
    readonly reason: string;
    readonly forced: boolean;
    readonly attempts: readonly EdgeBackendAttempt[];
  };
  readonly device: DeviceDetails;
  readonly versions: { readonly reportFormat: number; readonly tfjsCore: string; readonly backend: string | null };
  readonly clean: { readonly count: number; readonly correct: number; readonly accuracy: number };
  /** Null when the sample carried no server predictions. */
  readonly agreement: AgreementReport | null;
  readonly square: SquareSection;
  readonly transfer: TransferSection;
  readonly latency: LatencyReport;
  readonly flags: readonly EdgeFlag[];
  readonly startedAt: string;
  readonly elapsedMs: number;
}

/**
 * The flags a report deserves. Pure, so the server recomputes them from a submitted report with its
 * own threshold instead of trusting the device's.
 */
export function edgeReportFlags(report: Pick<EdgeReport, 'agreement' | 'sample'>, threshold = AGREEMENT_THRESHOLD): EdgeFlag[] {
  const flags: EdgeFlag[] = [];
  const a = report.agreement;
  if (!a) {
    flags.push({
      code: EdgeFlagCodes.EDGE_NO_AGREEMENT_CHECK,
      message: 'The sample carried no server predictions, so the device numerics were not compared with the server.',
      details: { count: report.sample.count },
    });
  } else if (a.rate < threshold) {
    flags.push({
      code: EdgeFlagCodes.EDGE_PREDICTION_DISAGREEMENT,
      message: `The device's clean predictions agree with the server's on ${(100 * a.rate).toFixed(2)}% of ${a.count} images, below ${(100 * threshold).toFixed(1)}%: this device does not compute the same model.`,
      details: { rate: a.rate, threshold, count: a.count, agree: a.agree, rows: a.disagreements.map((d) => d.row) },
    });
  }
  return flags;
}
