import { AttackConfigError, ErrorCodes } from '../errors.ts';
import { apgdCe } from './apgd-ce.ts';
import { apgdDlr } from './apgd-dlr.ts';
import { apgdT } from './apgd-t.ts';
import { fab } from './fab.ts';
import { fabT } from './fab-t.ts';
import { fgsm } from './fgsm.ts';
import { pgd } from './pgd.ts';
import { square } from './square.ts';
import { transfer } from './transfer.ts';
import type { AnyAttackDefinition } from './types.ts';

/** Every attack by its stable name. */
export const ATTACKS: Readonly<Record<string, AnyAttackDefinition>> = Object.freeze({
  fgsm,
  pgd,
  'apgd-ce': apgdCe,
  'apgd-dlr': apgdDlr,
  'apgd-t': apgdT,
  fab,
  'fab-t': fabT,
  square,
  transfer,
});

export function attackNames(): string[] {
  return Object.keys(ATTACKS);
}

export function getAttack(name: string): AnyAttackDefinition {
  const a = Object.hasOwn(ATTACKS, name) ? ATTACKS[name] : undefined;
  if (!a) throw new AttackConfigError(ErrorCodes.ATTACK_UNKNOWN, `Unknown attack "${name}" (available: ${attackNames().join(', ')})`, { name });
  return a;
}
