import { ErrorCodes, TrainingConfigError } from '@temper/edge';
import type { OptimizerConfig, ScheduleConfig } from '../training/optimizer.ts';

/**
 * Method settings: every method declares each setting with its default and where that default
 * comes from (docs/methods.md, the authors' released code, or Temper's own choice); `resolveParams`
 * applies the caller's overrides, rejects unknown keys and out-of-range values, and returns the
 * values together with their sources for the run's recorded config.
 */

/** Recipes differ between MNIST-like (one channel) and CIFAR-like inputs; defaults follow the matching one. */
export type RecipeFamily = 'mnist' | 'cifar';

export interface DefaultsContext {
  readonly family: RecipeFamily;
  /** The run's eps in [0,1] units. */
  readonly eps: number;
  /** Epochs as the caller asked for them. */
  readonly epochs: number;
}

export interface ParamSpec<T> {
  readonly default: T | ((ctx: DefaultsContext) => T);
  readonly source: string | ((ctx: DefaultsContext) => string);
  readonly check: (value: unknown, key: string) => T;
}

export type ParamSpecs<C> = { readonly [K in keyof C]: ParamSpec<C[K]> };

export interface ResolvedParams<C> {
  readonly values: C;
  /** Per key: "caller" or where the default comes from. */
  readonly sources: Readonly<Record<keyof C & string, string>>;
}

export function configError(why: string, details: Record<string, unknown> = {}): TrainingConfigError {
  return new TrainingConfigError(ErrorCodes.TRAINING_INVALID_CONFIG, why, details);
}

export function resolveParams<C>(method: string, specs: ParamSpecs<C>, given: Readonly<Record<string, unknown>> | undefined, ctx: DefaultsContext): ResolvedParams<C> {
  const known = Object.keys(specs);
  for (const k of Object.keys(given ?? {})) {
    if (!known.includes(k)) throw configError(`${method}: unknown setting "${k}" (known: ${known.join(', ')})`, { method, key: k });
  }
  const values = {} as Record<string, unknown>;
  const sources = {} as Record<string, string>;
  for (const k of known) {
    const spec = (specs as Record<string, ParamSpec<unknown>>)[k];
    if (given && Object.hasOwn(given, k) && given[k] !== undefined) {
      values[k] = spec.check(given[k], `${method}: ${k}`);
      sources[k] = 'caller';
    } else {
      values[k] = typeof spec.default === 'function' ? (spec.default as (c: DefaultsContext) => unknown)(ctx) : spec.default;
      sources[k] = typeof spec.source === 'function' ? spec.source(ctx) : spec.source;
    }
  }
  return { values: values as C, sources: sources as Record<keyof C & string, string> };
}

// Checkers.

export function num(opts: { min?: number; max?: number; minExclusive?: boolean; integer?: boolean } = {}): (v: unknown, key: string) => number {
  return (v, key) => {
    const { min = -Infinity, max = Infinity } = opts;
    const ok = typeof v === 'number' && Number.isFinite(v) && (opts.minExclusive ? v > min : v >= min) && v <= max && (!opts.integer || Number.isInteger(v));
    if (!ok) {
      const range = `${opts.minExclusive ? '(' : '['}${min}, ${max}]`;
      throw configError(`${key} must be ${opts.integer ? 'an integer' : 'a number'} in ${range}, got ${JSON.stringify(v)}`, { key, value: v });
    }
    return v as number;
  };
}

export function oneOf<T extends string>(allowed: readonly T[]): (v: unknown, key: string) => T {
  return (v, key) => {
    if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
      throw configError(`${key} must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}, got ${JSON.stringify(v)}`, { key, value: v });
    }
    return v as T;
  };
}

export function bool(): (v: unknown, key: string) => boolean {
  return (v, key) => {
    if (typeof v !== 'boolean') throw configError(`${key} must be true or false, got ${JSON.stringify(v)}`, { key, value: v });
    return v;
  };
}

export function numList(opts: { min?: number } = {}): (v: unknown, key: string) => number[] {
  return (v, key) => {
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'number' || !Number.isFinite(x) || x < (opts.min ?? -Infinity))) {
      throw configError(`${key} must be a list of numbers${opts.min !== undefined ? ` >= ${opts.min}` : ''}, got ${JSON.stringify(v)}`, { key, value: v });
    }
    return [...(v as number[])];
  };
}

/** The optimizer and schedule settings every method has, with the method's recipe as defaults. */
export interface OptimizerParams {
  readonly optimizer: 'sgd' | 'adam';
  readonly lr: number;
  readonly momentum: number;
  readonly weightDecay: number;
  readonly schedule: 'constant' | 'cosine' | 'piecewise' | 'cyclic';
  /** Epochs at which a piecewise schedule multiplies the rate by lrFactor. */
  readonly milestones: number[];
  readonly lrFactor: number;
}

/** Monitoring settings every method has. */
export interface MonitorParams {
  /** Held-out test examples scored (clean and PGD) at each epoch end. */
  readonly monitorSize: number;
  readonly monitorPgdSteps: number;
}

export interface Recipe {
  readonly optimizer: 'sgd' | 'adam';
  readonly lr: number;
  readonly momentum?: number;
  readonly weightDecay?: number;
  readonly schedule?: OptimizerParams['schedule'];
  /** Milestones as fractions of the run (scaled to the requested epochs). */
  readonly milestoneFractions?: readonly number[];
  readonly lrFactor?: number;
  readonly source: string;
}

/** Temper's own default where a method's paper has no recipe for the input family. */
export const TEMPER_ADAM: Recipe = { optimizer: 'adam', lr: 1e-3, source: 'Temper default (Adam 1e-3, as trainZooModel)' };

/** Optimizer param specs from a recipe per family. */
export function optimizerSpecs(recipe: (family: RecipeFamily) => Recipe): ParamSpecs<OptimizerParams> {
  const r = (ctx: DefaultsContext) => recipe(ctx.family);
  const src = (ctx: DefaultsContext) => r(ctx).source;
  return {
    optimizer: { default: (c) => r(c).optimizer, source: src, check: oneOf(['sgd', 'adam'] as const) },
    lr: { default: (c) => r(c).lr, source: src, check: num({ min: 0, minExclusive: true, max: 10 }) },
    momentum: { default: (c) => r(c).momentum ?? 0, source: src, check: num({ min: 0, max: 0.9999 }) },
    weightDecay: { default: (c) => r(c).weightDecay ?? 0, source: src, check: num({ min: 0, max: 1 }) },
    schedule: { default: (c) => r(c).schedule ?? 'constant', source: src, check: oneOf(['constant', 'cosine', 'piecewise', 'cyclic'] as const) },
    milestones: {
      default: (c) => (r(c).milestoneFractions ?? []).map((f) => Math.max(1, Math.round(f * c.epochs))),
      source: (c) => `${src(c)}; milestones at the recipe's fractions of the run`,
      check: numList({ min: 0 }),
    },
    lrFactor: { default: (c) => r(c).lrFactor ?? 0.1, source: src, check: num({ min: 0, minExclusive: true, max: 1 }) },
  };
}

export const MONITOR_SPECS: ParamSpecs<MonitorParams> = {
  monitorSize: { default: 256, source: 'Temper default: a fixed held-out batch of the first 256 test examples', check: num({ min: 0, max: 100_000, integer: true }) },
  monitorPgdSteps: { default: 10, source: 'Temper default: PGD-10 (step 2.5 eps/10, random start) on the held-out batch', check: num({ min: 0, max: 1000, integer: true }) },
};

export function optimizerConfigOf(p: OptimizerParams): { optimizer: OptimizerConfig; schedule: ScheduleConfig } {
  const optimizer: OptimizerConfig =
    p.optimizer === 'adam'
      ? { kind: 'adam', learningRate: p.lr, weightDecay: p.weightDecay }
      : { kind: 'sgd', learningRate: p.lr, momentum: p.momentum, weightDecay: p.weightDecay };
  const schedule: ScheduleConfig =
    p.schedule === 'piecewise' ? { kind: 'piecewise', milestones: p.milestones, factor: p.lrFactor } : { kind: p.schedule };
  return { optimizer, schedule };
}

/** Madry's MNIST PGD: 40 steps of 0.01 at eps 0.3 (step scaled with eps: eps/30). CIFAR: 10 steps of eps/4 (2/255 at 8/255). */
export function pgdStepsDefault(ctx: DefaultsContext): number {
  return ctx.family === 'mnist' ? 40 : 10;
}
export function pgdStepSizeDefault(ctx: DefaultsContext): number {
  return ctx.family === 'mnist' ? ctx.eps / 30 : ctx.eps / 4;
}
export function pgdSource(ctx: DefaultsContext, what = 'Madry et al.'): string {
  return ctx.family === 'mnist'
    ? `docs/methods.md (${what}, MNIST): k=40, a=0.01 at eps 0.3 (a scales as eps/30)`
    : `docs/methods.md (${what}, CIFAR released config): k=10, a=2/255 at eps 8/255 (a scales as eps/4)`;
}
