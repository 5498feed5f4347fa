import { ErrorCodes, TrainingConfigError } from '@temper/edge';
import { HARDENING_METHOD_NAMES, isHardeningMethodName, type HardeningMethodName } from '@temper/contracts';
import type { AnyMethodDefinition } from './method.ts';
import { alp } from './methods/alp.ts';
import { ard } from './methods/ard.ts';
import { clp } from './methods/clp.ts';
import { fastAt } from './methods/fast-at.ts';
import { freeAt } from './methods/free-at.ts';
import { igam } from './methods/igam.ts';
import { kd } from './methods/kd.ts';
import { lsq } from './methods/lsq.ts';
import { natural } from './methods/natural.ts';
import { pgdAt } from './methods/pgd-at.ts';
import { rrm } from './methods/rrm.ts';
import { rslad } from './methods/rslad.ts';
import { trades } from './methods/trades.ts';

/** Every hardening method of the catalogue in @temper/contracts, by the name the API and the CLI use (registry.test.ts ties the two). */
export const METHODS: Readonly<Record<HardeningMethodName, AnyMethodDefinition>> = Object.freeze({
  natural,
  kd,
  'pgd-at': pgdAt,
  'fast-at': fastAt,
  'free-at': freeAt,
  trades,
  ard,
  rslad,
  rrm,
  alp,
  clp,
  lsq,
  igam,
});

export function methodNames(): HardeningMethodName[] {
  return [...HARDENING_METHOD_NAMES];
}

export function getMethod(name: string): AnyMethodDefinition {
  const m = isHardeningMethodName(name) ? METHODS[name] : undefined;
  if (!m) throw new TrainingConfigError(ErrorCodes.TRAINING_INVALID_CONFIG, `Unknown hardening method "${name}" (available: ${methodNames().join(', ')})`, { method: name });
  return m;
}
