import { STANDARD_ATTACK_NAMES } from '@temper/contracts';
import { epsLabel, pct } from './format.ts';
import type { EvaluationSummary } from './report.ts';

/**
 * `temper gate`: thresholds on a robustness report. Missing evidence fails the gate like a low
 * number does: a robust-accuracy threshold at an eps the evaluation did not run, or for an attack
 * ensemble it did not include, cannot be said to hold.
 */

/** AutoAttack's standard list as Temper runs it (the catalogue in @temper/contracts). */
export const STANDARD_ATTACKS: readonly string[] = STANDARD_ATTACK_NAMES;

export interface GateOptions {
  readonly minRobust?: number;
  readonly minClean?: number;
  /** "standard" or a comma list: the attacks the evaluation's ensemble must include. */
  readonly attack?: string;
  /** Radii the robust threshold applies at; default every eps of the evaluation. */
  readonly eps?: readonly number[];
}

export interface GateCheck {
  readonly name: string;
  readonly passed: boolean;
  readonly actual: number | null;
  readonly threshold: number;
  /** One line: why it passed or failed. */
  readonly detail: string;
}

export interface GateResult {
  readonly passed: boolean;
  readonly checks: readonly GateCheck[];
  /** The one-line verdict. */
  readonly reason: string;
}

export function requiredAttacks(attack: string): string[] {
  return attack === 'standard' ? [...STANDARD_ATTACKS] : attack.split(',').map((a) => a.trim()).filter(Boolean);
}

export function evaluateGate(ev: EvaluationSummary, options: GateOptions): GateResult {
  const checks: GateCheck[] = [];
  if (options.minClean !== undefined) {
    const ok = ev.cleanAccuracy >= options.minClean;
    checks.push({
      name: 'clean accuracy',
      passed: ok,
      actual: ev.cleanAccuracy,
      threshold: options.minClean,
      detail: `clean accuracy ${pct(ev.cleanAccuracy)} ${ok ? '>=' : 'is below'} --min-clean ${pct(options.minClean)}`,
    });
  }
  if (options.minRobust !== undefined) {
    const min = options.minRobust;
    const label = options.attack ?? ev.attacks.join(', ');
    const missing = options.attack ? requiredAttacks(options.attack).filter((a) => !ev.attacks.includes(a)) : [];
    const radii = options.eps ?? ev.points.map((p) => p.eps);
    if (radii.length === 0) checks.push({ name: 'robust accuracy', passed: false, actual: null, threshold: min, detail: 'the evaluation has no eps points' });
    for (const eps of radii) {
      const name = `robust accuracy at eps ${epsLabel(eps)} (${label})`;
      const point = ev.points.find((p) => Math.abs(p.eps - eps) < 1e-9);
      if (missing.length) {
        checks.push({ name, passed: false, actual: point?.robustAccuracy ?? null, threshold: min, detail: `the evaluation ran ${ev.attacks.join(', ') || 'no attacks'}, without ${missing.join(', ')} (--attack ${options.attack})` });
      } else if (!point) {
        checks.push({ name, passed: false, actual: null, threshold: min, detail: `the evaluation has no result at eps ${epsLabel(eps)} (it ran eps ${ev.points.map((p) => epsLabel(p.eps)).join(', ')})` });
      } else {
        const ok = point.robustAccuracy >= min;
        checks.push({ name, passed: ok, actual: point.robustAccuracy, threshold: min, detail: `robust accuracy ${pct(point.robustAccuracy)} at eps ${epsLabel(eps)} (${label}) ${ok ? '>=' : 'is below'} --min-robust ${pct(min)}` });
      }
    }
  }
  const failed = checks.filter((c) => !c.passed);
  const passed = failed.length === 0 && checks.length > 0;
  const reason = passed
    ? `gate passed: ${checks.map((c) => c.detail).join('; ')}`
    : failed.length === 1
      ? `gate failed: ${failed[0].detail}`
      : failed.length
        ? // Every failed threshold, so one CI run shows all there is to fix.
          `gate failed: ${failed.length} of ${checks.length} checks: ${failed.map((c) => c.detail).join('; ')}`
        : 'gate failed: no threshold given';
  return { passed, checks, reason };
}
