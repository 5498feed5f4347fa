import { isAttackName, type AttackName } from '@temper/contracts';
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

/** Every attack of the catalogue in @temper/contracts, by its stable name (registry.test.ts ties the two). */
export const ATTACKS: Readonly<Record<AttackName, AnyAttackDefinition>> = Object.freeze({
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

export function attackNames(): AttackName[] {
  return Object.keys(ATTACKS) as AttackName[];
}

export function getAttack(name: string): AnyAttackDefinition {
  const a = isAttackName(name) && Object.hasOwn(ATTACKS, name) ? ATTACKS[name] : undefined;
  if (!a) throw new AttackConfigError(ErrorCodes.ATTACK_UNKNOWN, `Unknown attack "${name}" (available: ${attackNames().join(', ')})`, { name });
  return a;
}
