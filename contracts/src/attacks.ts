/**
 * The attacks: the names every request, report and gate uses, their kind, and AutoAttack's
 * standard ensemble as Temper runs it. The attack code is @temper/edge's attacks/ (one file per
 * attack); a test there checks that its registry holds exactly these names with these kinds.
 */

export type AttackKind = 'white-box' | 'black-box' | 'transfer';

export const ATTACK_CATALOGUE = {
  fgsm: { kind: 'white-box', description: 'Fast gradient sign method: one signed-gradient step of size eps.' },
  pgd: { kind: 'white-box', description: 'Projected gradient descent (Madry et al.), CE or DLR loss, random start.' },
  'apgd-ce': { kind: 'white-box', description: 'Auto-PGD on the cross-entropy loss (AutoAttack).' },
  'apgd-dlr': { kind: 'white-box', description: 'Auto-PGD on the DLR loss (AutoAttack).' },
  'apgd-t': { kind: 'white-box', description: 'Targeted Auto-PGD on the DLR loss, over the top target classes (AutoAttack).' },
  fab: { kind: 'white-box', description: 'FAB (Croce & Hein): minimal-norm adversarial examples by linearising the decision boundary (untargeted).' },
  'fab-t': { kind: 'white-box', description: 'Targeted FAB over the top target classes (AutoAttack).' },
  square: { kind: 'black-box', description: 'Square attack: score-based random search, no gradients (AutoAttack).' },
  transfer: { kind: 'transfer', description: 'White-box attacks on surrogate models, replayed against the target.' },
} as const satisfies Record<string, { readonly kind: AttackKind; readonly description: string }>;

export type AttackName = keyof typeof ATTACK_CATALOGUE;

export const ATTACK_NAMES: readonly AttackName[] = Object.freeze(Object.keys(ATTACK_CATALOGUE) as AttackName[]);

export function isAttackName(name: string): name is AttackName {
  return Object.hasOwn(ATTACK_CATALOGUE, name);
}

export interface StandardAttackSpec {
  readonly attack: AttackName;
  readonly config: Readonly<Record<string, unknown>>;
}

/**
 * AutoAttack's standard L-inf list (autoattack.py, version='standard'): APGD-CE (100 iterations, 1 restart),
 * APGD-T (100 iterations, 9 target classes, 1 restart), FAB-T (100 iterations, 9 target classes), Square
 * (5000 queries, p_init 0.8). The 'plus' and 'rand' lists live beside the attacks (@temper/edge's
 * evaluation/versions.ts).
 */
export const STANDARD_ATTACKS: readonly StandardAttackSpec[] = Object.freeze([
  Object.freeze({ attack: 'apgd-ce', config: Object.freeze({ iterations: 100, restarts: 1, rho: 0.75 }) }),
  Object.freeze({ attack: 'apgd-t', config: Object.freeze({ iterations: 100, restarts: 1, rho: 0.75, targetClasses: 9 }) }),
  Object.freeze({ attack: 'fab-t', config: Object.freeze({ iterations: 100, restarts: 1, targetClasses: 9 }) }),
  Object.freeze({ attack: 'square', config: Object.freeze({ queries: 5000, pInit: 0.8, restarts: 1 }) }),
]);

export const STANDARD_ATTACK_NAMES: readonly AttackName[] = Object.freeze(STANDARD_ATTACKS.map((s) => s.attack));
