import { STANDARD_ATTACKS } from '@temper/contracts';
import { AttackConfigError, ErrorCodes } from '../errors.ts';
import type { AttackSpec } from './evaluate.ts';

/**
 * AutoAttack's attack lists (autoattack.py, set_version), L-infinity, as Temper runs them:
 *
 * - standard: APGD-CE (100 iterations, 1 restart), APGD-T (9 targets), FAB-T (9 targets), Square (5000
 *   queries, p_init 0.8);
 * - plus: APGD-CE and APGD-DLR (5 restarts each), FAB (5 restarts), Square (5000 queries), APGD-T and
 *   FAB-T (9 targets, 1 restart each);
 * - rand, for models whose forward pass is randomized: APGD-CE and APGD-DLR with EOT over 20 draws.
 *
 * The version goes into the report; a caller's own list is 'custom'.
 */

export type AutoAttackVersion = 'standard' | 'plus' | 'rand';
export const AUTOATTACK_VERSIONS: readonly AutoAttackVersion[] = ['standard', 'plus', 'rand'];

const APGD = { iterations: 100, rho: 0.75 } as const;
const SQUARE = { queries: 5000, pInit: 0.8, restarts: 1 } as const;

export const AUTOATTACK_LISTS: Readonly<Record<AutoAttackVersion, readonly AttackSpec[]>> = Object.freeze({
  // Declared in @temper/contracts, where the CLI's gate reads the same list.
  standard: STANDARD_ATTACKS,
  plus: Object.freeze([
    { attack: 'apgd-ce', config: { ...APGD, restarts: 5 } },
    { attack: 'apgd-dlr', config: { ...APGD, restarts: 5 } },
    { attack: 'fab', config: { iterations: 100, restarts: 5 } },
    { attack: 'square', config: SQUARE },
    { attack: 'apgd-t', config: { ...APGD, restarts: 1, targetClasses: 9 } },
    { attack: 'fab-t', config: { iterations: 100, restarts: 1, targetClasses: 9 } },
  ]),
  rand: Object.freeze([
    { attack: 'apgd-ce', config: { ...APGD, restarts: 1, eot: 20 } },
    { attack: 'apgd-dlr', config: { ...APGD, restarts: 1, eot: 20 } },
  ]),
});

export function isAutoAttackVersion(v: unknown): v is AutoAttackVersion {
  return typeof v === 'string' && (AUTOATTACK_VERSIONS as readonly string[]).includes(v);
}

/** The list of a version name; ATTACK_INVALID_CONFIG for anything else. */
export function autoAttackList(version: string): readonly AttackSpec[] {
  if (!isAutoAttackVersion(version)) {
    throw new AttackConfigError(ErrorCodes.ATTACK_INVALID_CONFIG, `evaluation: unknown AutoAttack version "${version}" (known: ${AUTOATTACK_VERSIONS.join(', ')})`, { version });
  }
  return AUTOATTACK_LISTS[version];
}
