import { AttackConfigError, ErrorCodes } from '../errors.ts';
import type { JsonObject } from './types.ts';

/** Range checks shared by every attack's `resolve`. All throw ATTACK_INVALID_CONFIG. */

export function configError(attack: string, why: string, details: Record<string, unknown> = {}): AttackConfigError {
  return new AttackConfigError(ErrorCodes.ATTACK_INVALID_CONFIG, `${attack}: ${why}`, { attack, ...details });
}

export function checkEps(attack: string, eps: unknown): number {
  if (typeof eps !== 'number' || !Number.isFinite(eps) || eps < 0 || eps > 1) {
    throw configError(attack, `eps must be a number in [0, 1] (inputs are in [0,1]), got ${String(eps)}`, { eps });
  }
  return eps;
}

export function checkInt(attack: string, key: string, v: unknown, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw configError(attack, `${key} must be an integer in [${min}, ${max}], got ${String(v)}`, { [key]: v });
  }
  return v;
}

/** A finite number in [min, max] (exclusive ends where asked). */
export function checkNumber(attack: string, key: string, v: unknown, min: number, max: number, opts: { minExclusive?: boolean } = {}): number {
  const lowOk = typeof v === 'number' && (opts.minExclusive ? v > min : v >= min);
  if (typeof v !== 'number' || !Number.isFinite(v) || !lowOk || v > max) {
    throw configError(attack, `${key} must be a number in ${opts.minExclusive ? '(' : '['}${min}, ${max}], got ${String(v)}`, { [key]: v });
  }
  return v;
}

export function checkOneOf<T extends string>(attack: string, key: string, v: unknown, allowed: readonly T[]): T {
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw configError(attack, `${key} must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}, got ${JSON.stringify(v)}`, { [key]: v });
  }
  return v as T;
}

/** Rejects keys the attack does not know, so that a typo ("iters") is not silently ignored. */
export function checkKnownKeys(attack: string, config: object, known: readonly string[]): void {
  for (const k of Object.keys(config)) {
    if (!known.includes(k)) throw configError(attack, `unknown setting "${k}" (known: ${known.join(', ')})`, { key: k });
  }
}

/** A plain copy of a config for reports. */
export function plainSettings(config: object): JsonObject {
  return JSON.parse(JSON.stringify(config)) as JsonObject;
}
