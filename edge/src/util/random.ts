import seedrandom from 'seedrandom';

/** Serializable generator state, stored in checkpoints so that a resumed run draws the same numbers. */
export interface RngState {
  readonly c: number;
  readonly s0: number;
  readonly s1: number;
  readonly s2: number;
}

/**
 * A seeded random source for everything Temper draws outside tfjs kernels: shuffles, splits,
 * attack restarts, Square's windows. Alea is fast, has a small copyable state, and ships with
 * seedrandom, which tfjs-core already uses for its own seeded ops.
 */
export class Rng {
  private readonly prng: seedrandom.StatefulPRNG<RngState>;

  constructor(seed: number | string, state?: RngState) {
    this.prng = seedrandom.alea(String(seed), { state: state ?? true }) as seedrandom.StatefulPRNG<RngState>;
  }

  static fromState(state: RngState): Rng {
    return new Rng(0, state);
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.prng();
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.prng() * n);
  }

  /** Either -1 or +1 with equal probability. */
  sign(): number {
    return this.prng() < 0.5 ? -1 : 1;
  }

  /** Standard normal (Box-Muller). */
  normal(): number {
    let u = 0;
    while (u === 0) u = this.prng();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.prng());
  }

  /** A 31-bit integer seed for a tfjs op (tf.randomUniform etc.) derived from this stream. */
  seedForTf(): number {
    return Math.floor(this.prng() * 0x7fffffff);
  }

  /** In-place Fisher-Yates shuffle. */
  shuffle<T extends { length: number; [i: number]: unknown }>(items: T): T {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = items[i];
      items[i] = items[j];
      items[j] = tmp;
    }
    return items;
  }

  /** A shuffled permutation of 0..n-1. */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    return this.shuffle(p);
  }

  state(): RngState {
    return this.prng.state();
  }
}
