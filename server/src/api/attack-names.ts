import { AttackConfigError, ErrorCodes } from '@temper/edge';
import { getAttack } from '@temper/edge/attacks';
import { AUTOATTACK_VERSIONS, isAutoAttackVersion } from '@temper/edge/evaluation';

/**
 * Refuses unknown attack names when the job is requested (ATTACK_UNKNOWN), not minutes later in the
 * worker. `attacks` is a list of names or {attack, config} specs, or one AutoAttack version name
 * ("standard", "plus", "rand"), which the evaluation takes as it is.
 */
export function validateAttackNames(specs: unknown): void {
  if (typeof specs === 'string') {
    if (isAutoAttackVersion(specs)) return;
    throw new AttackConfigError(ErrorCodes.ATTACK_UNKNOWN, `Unknown attack list "${specs}": give an AutoAttack version (${AUTOATTACK_VERSIONS.join(', ')}) or a list of {attack, config}.`, { attacks: specs, versions: [...AUTOATTACK_VERSIONS] });
  }
  if (!Array.isArray(specs)) {
    throw new AttackConfigError(ErrorCodes.ATTACK_INVALID_CONFIG, `attacks must be an AutoAttack version (${AUTOATTACK_VERSIONS.join(', ')}) or a list of {attack, config}.`, { versions: [...AUTOATTACK_VERSIONS] });
  }
  for (const s of specs) {
    const name = typeof s === 'object' && s !== null ? (s as { attack?: unknown }).attack : s;
    getAttack(String(name));
  }
}
