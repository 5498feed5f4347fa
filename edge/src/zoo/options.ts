import { ErrorCodes, ZooError } from '../errors.ts';

/** What every zoo architecture takes. */
export interface ZooOptions {
  /** [height, width, channels] of one input image. */
  readonly inputShape: readonly [number, number, number];
  readonly numClasses: number;
  /**
   * Width of the penultimate `features` layer. RRM matches student and teacher features, so a
   * student and a teacher built with the same width can be paired without a projection.
   */
  readonly featureWidth?: number;
  /** Seeds every initializer: the same seed builds the same weights. */
  readonly seed?: number;
  /** Multiplies the channel/unit counts of the hidden layers (feature width excluded). */
  readonly widthMultiplier?: number;
}

export interface ResolvedZooOptions {
  readonly inputShape: [number, number, number];
  readonly numClasses: number;
  readonly featureWidth: number;
  readonly seed: number;
  readonly widthMultiplier: number;
}

export function resolveZooOptions(arch: string, o: ZooOptions, defaultFeatureWidth: number): ResolvedZooOptions {
  const bad = (why: string) => new ZooError(ErrorCodes.ZOO_INVALID_OPTIONS, `Zoo model "${arch}": ${why}`, { options: o });
  const [h, w, c] = o.inputShape ?? [];
  if (![h, w, c].every((d) => Number.isInteger(d) && d > 0)) throw bad(`inputShape must be three positive integers, got ${JSON.stringify(o.inputShape)}`);
  if (!Number.isInteger(o.numClasses) || o.numClasses < 2) throw bad(`numClasses must be an integer >= 2, got ${o.numClasses}`);
  const featureWidth = o.featureWidth ?? defaultFeatureWidth;
  if (!Number.isInteger(featureWidth) || featureWidth < 1 || featureWidth > 65536) throw bad(`featureWidth must be an integer in [1, 65536], got ${featureWidth}`);
  const widthMultiplier = o.widthMultiplier ?? 1;
  if (!(widthMultiplier > 0 && widthMultiplier <= 16)) throw bad(`widthMultiplier must be in (0, 16], got ${widthMultiplier}`);
  return { inputShape: [h, w, c], numClasses: o.numClasses, featureWidth, seed: o.seed ?? 0, widthMultiplier };
}

/** Seeds successive initializers from one base seed, so adding a layer changes only later layers. */
export class SeedSequence {
  private next: number;
  constructor(base: number) {
    this.next = base * 1000 + 1;
  }
  take(): number {
    return this.next++;
  }
}

export function scaled(units: number, multiplier: number): number {
  return Math.max(1, Math.round(units * multiplier));
}
