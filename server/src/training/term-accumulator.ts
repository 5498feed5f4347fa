import * as tf from '@tensorflow/tfjs-core';

/**
 * Running sums of scalar loss terms, kept on the device and read back only when reported: a
 * per-step `data()` would stall the pipeline on every minibatch.
 */
export class TermAccumulator {
  private sums: Record<string, tf.Scalar> = {};
  private count = 0;

  add(terms: Record<string, tf.Scalar>): void {
    for (const [k, t] of Object.entries(terms)) {
      const prev = this.sums[k];
      this.sums[k] = tf.keep(prev ? (tf.add(prev, t) as tf.Scalar) : (tf.clone(t) as tf.Scalar));
      prev?.dispose();
    }
    this.count++;
  }

  /** The mean of each term since the last drain; resets the sums. */
  async drain(): Promise<Record<string, number>> {
    const keys = Object.keys(this.sums);
    const values = await Promise.all(keys.map((k) => this.sums[k].data()));
    const out = Object.fromEntries(keys.map((k, i) => [k, values[i][0] / Math.max(1, this.count)]));
    this.dispose();
    return out;
  }

  dispose(): void {
    tf.dispose(Object.values(this.sums));
    this.sums = {};
    this.count = 0;
  }
}
