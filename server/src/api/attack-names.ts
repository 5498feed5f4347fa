import { getAttack } from '@temper/edge/attacks';

/** Refuses unknown attack names when the job is requested (ATTACK_UNKNOWN), not minutes later in the worker. */
export function validateAttackNames(specs: readonly unknown[]): void {
  for (const s of specs) {
    const name = typeof s === 'object' && s !== null ? (s as { attack?: unknown }).attack : s;
    getAttack(String(name));
  }
}
