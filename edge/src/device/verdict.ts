import type { JsonObject } from '../attacks/types.ts';
import type { EdgeReport } from './report.ts';

/**
 * The verdict on an edge check's report, from two questions kept apart:
 * - integrity: did the device compute the model the server serves? (the server's flags: prediction
 *   disagreement, a hash mismatch...). A flagged report says nothing reliable about the model, so the
 *   status is FLAGGED whatever its numbers.
 * - robustness: are clean accuracy, robust accuracy at the check's eps and agreement at or above the
 *   thresholds the check was created with? Below any of them the status is FAILED, each miss a reason.
 * PASSED needs both. Without thresholds the robustness question is NOT_CHECKED and an unflagged
 * report passes on integrity alone (what PASSED meant before thresholds existed).
 *
 * Robust accuracy at the check's eps is the lower of Square's and transfer's over the attacked rows:
 * the device reports each attack's accuracy, not a per-row union, so the true worst case may be lower.
 */

export interface EdgeThresholds {
  /** Minimum clean accuracy on the sample, in [0,1]. */
  readonly minCleanAccuracy?: number | null;
  /** Minimum robust accuracy at the check's eps (lower of Square and transfer), in [0,1]. */
  readonly minRobustAccuracy?: number | null;
  /** Minimum fraction of the sample on which the device's clean predictions match the server's, in [0,1]. */
  readonly minAgreement?: number | null;
}

export const EdgeVerdictCodes = {
  EDGE_CLEAN_BELOW_THRESHOLD: 'EDGE_CLEAN_BELOW_THRESHOLD',
  EDGE_ROBUST_BELOW_THRESHOLD: 'EDGE_ROBUST_BELOW_THRESHOLD',
  EDGE_AGREEMENT_BELOW_THRESHOLD: 'EDGE_AGREEMENT_BELOW_THRESHOLD',
  /** A threshold was set on a number the report does not carry (no agreement check, an attack that did not run). */
  EDGE_MEASURE_MISSING: 'EDGE_MEASURE_MISSING',
} as const;
export type EdgeVerdictCode = (typeof EdgeVerdictCodes)[keyof typeof EdgeVerdictCodes];

export interface EdgeVerdictReason {
  readonly code: EdgeVerdictCode;
  readonly message: string;
  readonly measure: 'cleanAccuracy' | 'robustAccuracy' | 'agreement';
  readonly threshold: number;
  /** null when the report lacks the measure. */
  readonly actual: number | null;
}

export interface EdgeVerdict {
  readonly status: 'PASSED' | 'FLAGGED' | 'FAILED';
  readonly integrity: 'OK' | 'FLAGGED';
  readonly robustness: 'PASSED' | 'FAILED' | 'NOT_CHECKED';
  /** The integrity flags' codes (the flags themselves are on the report). */
  readonly flagCodes: readonly string[];
  /** Every threshold missed. */
  readonly reasons: readonly EdgeVerdictReason[];
  /** One sentence for a CLI or a page. */
  readonly summary: string;
}

type ReportNumbers = {
  readonly clean?: Partial<EdgeReport['clean']> | null;
  readonly square?: Partial<EdgeReport['square']> | null;
  readonly transfer?: Partial<EdgeReport['transfer']> | null;
  readonly agreement?: Partial<NonNullable<EdgeReport['agreement']>> | null;
};

const finite = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const pct = (v: number) => `${(100 * v).toFixed(1)}%`;

/** The robust accuracy the minRobustAccuracy threshold is checked against; null when neither attack reported. */
export function edgeRobustAccuracy(report: ReportNumbers): number | null {
  const values = [finite(report.square?.robustAccuracy), finite(report.transfer?.robustAccuracy)].filter((v): v is number => v !== null);
  return values.length ? Math.min(...values) : null;
}

export function edgeVerdict(report: ReportNumbers, flags: readonly { readonly code: string }[], thresholds: EdgeThresholds | null | undefined, eps?: number): EdgeVerdict {
  const reasons: EdgeVerdictReason[] = [];
  const at = eps !== undefined ? ` at eps ${eps}` : '';
  const check = (measure: EdgeVerdictReason['measure'], threshold: number | null | undefined, actual: number | null, code: EdgeVerdictCode, what: string) => {
    if (threshold === null || threshold === undefined) return;
    if (actual === null) {
      reasons.push({ code: EdgeVerdictCodes.EDGE_MEASURE_MISSING, measure, threshold, actual, message: `The report carries no ${what}, which must be at least ${pct(threshold)}.` });
    } else if (actual < threshold) {
      reasons.push({ code, measure, threshold, actual, message: `${what[0].toUpperCase()}${what.slice(1)} ${pct(actual)} is below the check's minimum of ${pct(threshold)}.` });
    }
  };
  check('cleanAccuracy', thresholds?.minCleanAccuracy, finite(report.clean?.accuracy), EdgeVerdictCodes.EDGE_CLEAN_BELOW_THRESHOLD, 'clean accuracy');
  check('robustAccuracy', thresholds?.minRobustAccuracy, edgeRobustAccuracy(report), EdgeVerdictCodes.EDGE_ROBUST_BELOW_THRESHOLD, `robust accuracy${at} (lower of Square and transfer)`);
  check('agreement', thresholds?.minAgreement, finite(report.agreement?.rate), EdgeVerdictCodes.EDGE_AGREEMENT_BELOW_THRESHOLD, "agreement of the device's clean predictions with the server's");
  const anyThreshold = [thresholds?.minCleanAccuracy, thresholds?.minRobustAccuracy, thresholds?.minAgreement].some((t) => t !== null && t !== undefined);
  const integrity = flags.length > 0 ? 'FLAGGED' : 'OK';
  const robustness = !anyThreshold ? 'NOT_CHECKED' : reasons.length ? 'FAILED' : 'PASSED';
  const status = integrity === 'FLAGGED' ? 'FLAGGED' : robustness === 'FAILED' ? 'FAILED' : 'PASSED';
  const parts: string[] = [];
  if (integrity === 'FLAGGED') parts.push(`integrity flagged (${flags.map((f) => f.code).join(', ')}): the numbers may not describe the served model`);
  if (robustness === 'FAILED') parts.push(reasons.map((r) => r.message).join(' '));
  if (robustness === 'PASSED') parts.push('every threshold met');
  if (robustness === 'NOT_CHECKED' && integrity === 'OK') parts.push('no integrity flag; no thresholds were set');
  return { status, integrity, robustness, flagCodes: flags.map((f) => f.code), reasons, summary: `${status}: ${parts.join('; ')}` };
}

/** Thresholds as JSON for the stored settings (absent ones dropped). */
export function thresholdsJson(t: EdgeThresholds | null | undefined): JsonObject | null {
  if (!t) return null;
  const o: JsonObject = {};
  for (const k of ['minCleanAccuracy', 'minRobustAccuracy', 'minAgreement'] as const) if (t[k] !== null && t[k] !== undefined) o[k] = t[k]!;
  return Object.keys(o).length ? o : null;
}
