import { attackDataset, pgd } from '@temper/edge/attacks';
import { type Classifier, datasetAccuracy, type ImageDataset, subsetDataset } from '@temper/edge';

export interface MonitorOptions {
  /** Held-out examples (the first ones of the test split) scored at the end of every epoch. Default 500. */
  readonly size?: number;
  /** Also run PGD on them at this eps (inference mode, random start, 1 restart, seed fixed). */
  readonly pgd?: { readonly eps: number; readonly steps?: number; readonly stepSize?: number };
}

export interface HeldOutScores {
  readonly cleanAccuracy: number;
  readonly pgdAccuracy?: number;
}

/**
 * The held-out batch a training run is watched on at every epoch end: always the same examples,
 * and PGD with a fixed seed, so that the curve moves only with the model.
 */
export class HeldOutMonitor {
  private readonly set: ImageDataset;

  constructor(test: ImageDataset, private readonly options: MonitorOptions = {}) {
    const size = Math.min(options.size ?? 500, test.count);
    this.set = subsetDataset(test, Array.from({ length: size }, (_, i) => i));
  }

  get size(): number {
    return this.set.count;
  }

  /** Scores the student; undefined when the held-out set is empty. */
  async score(student: Classifier, signal?: AbortSignal): Promise<HeldOutScores | undefined> {
    if (this.set.count === 0) return undefined;
    const cleanAccuracy = await datasetAccuracy(student, this.set, { signal });
    let pgdAccuracy: number | undefined;
    if (this.options.pgd) {
      const { eps, steps = 10, stepSize } = this.options.pgd;
      const r = await attackDataset(pgd, student, this.set, { eps, steps, stepSize: stepSize ?? null, restarts: 1 }, { seed: 'monitor', signal, keepAdversarial: false });
      pgdAccuracy = r.robustAccuracy;
    }
    return { cleanAccuracy, pgdAccuracy };
  }
}
