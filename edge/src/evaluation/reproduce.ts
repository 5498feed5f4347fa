import type { AnyAttackDefinition, JsonObject } from '../attacks/types.ts';
import { epsFraction } from './eps.ts';
import type { ReproduceRecipe } from './report.ts';

/**
 * The part of a report that says how to run it again: the same options to evaluateRobustness (or the
 * CLI) give the same numbers on the same backend. The attack list is spelled out with every setting
 * (the attack's defaults under the caller's config) even for an AutoAttack version, so that a later change
 * of a version's defaults cannot silently change what "standard" meant for this report. Settings that
 * derive from eps (a null stepSize) stay null here; each stage's resolved values are in its results.
 */
export function reproduceRecipe(
  version: ReproduceRecipe['autoAttackVersion'],
  attacks: readonly { readonly definition: AnyAttackDefinition; readonly config?: Readonly<Record<string, unknown>> }[],
  eps: readonly number[],
  seed: number,
  examples: number,
  batchSize: number,
  datasetSplit: JsonObject | undefined,
): ReproduceRecipe {
  return {
    autoAttackVersion: version,
    attacks: attacks.map((a) => ({ attack: a.definition.name, config: jsonOf({ ...a.definition.defaults, ...(a.config ?? {}) }) })),
    eps: [...eps],
    epsFractions: eps.map(epsFraction),
    seed,
    examples,
    batchSize,
    // Each stage's seed, as evaluate.ts derives it.
    stageSeeds: '<seed>:eps<eps>:<attack index>',
    datasetSplit: datasetSplit ?? null,
  };
}

/** Plain JSON: objects such as surrogate classifiers (transfer) become their names or drop out. */
function jsonOf(config: Record<string, unknown>): JsonObject {
  return JSON.parse(
    JSON.stringify(config, (_k, v: unknown) => {
      if (v && typeof v === 'object' && 'classifier' in v && 'name' in v) return (v as { name: unknown }).name;
      return v;
    }),
  ) as JsonObject;
}
