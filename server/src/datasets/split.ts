import { DatasetError, ErrorCodes, subsetDataset, type DatasetSplit, type ImageDataset, Rng } from '@temper/edge';

export interface SplitOptions {
  readonly trainSize: number;
  readonly testSize: number;
  readonly seed: number;
}

function invalid(message: string, details: Record<string, unknown>): DatasetError {
  return new DatasetError(ErrorCodes.DATASET_INVALID_SPLIT, message, details);
}

export function validateSplit(options: SplitOptions, available: number, name: string): void {
  const { trainSize, testSize, seed } = options;
  for (const [key, value] of [
    ['trainSize', trainSize],
    ['testSize', testSize],
  ] as const) {
    if (!Number.isInteger(value) || value < 1) {
      throw invalid(`${key} must be a positive integer, got ${value}.`, { [key]: value, dataset: name });
    }
  }
  if (!Number.isFinite(seed)) throw invalid(`seed must be a finite number, got ${seed}.`, { seed, dataset: name });
  if (trainSize + testSize > available) {
    throw invalid(
      `${name} has ${available} examples; a split of ${trainSize} train + ${testSize} test needs ${trainSize + testSize}.`,
      { trainSize, testSize, available, dataset: name },
    );
  }
}

/**
 * Splits `total` items among classes in proportion to `classSizes`, by largest remainder, never
 * giving a class more than `caps[c]`. Ties go to the lower class id so the result is a pure function
 * of the counts (the seed only chooses which examples, not how many).
 */
function apportion(classSizes: readonly number[], total: number, population: number, caps: readonly number[]): number[] {
  const quota = classSizes.map((n) => (n * total) / population);
  const alloc = quota.map((q, c) => Math.min(Math.floor(q), caps[c]));
  let left = total - alloc.reduce((a, b) => a + b, 0);
  // Almost always one pass of +1s; the loop only matters when caps bind.
  while (left > 0) {
    let best = -1;
    for (let c = 0; c < quota.length; c++) {
      if (alloc[c] >= caps[c]) continue;
      if (best < 0 || quota[c] - alloc[c] > quota[best] - alloc[best]) best = c;
    }
    alloc[best]++;
    left--;
  }
  return alloc;
}

/**
 * Row indices of a seeded stratified split: every class contributes to train and to test in
 * proportion to its share of the whole set (within one example), the two sets are disjoint, and
 * each is shuffled so that no consumer sees classes in blocks.
 */
export function stratifiedSplitIndices(
  labels: ArrayLike<number>,
  numClasses: number,
  options: SplitOptions,
  name = 'dataset',
): { train: Int32Array; test: Int32Array } {
  validateSplit(options, labels.length, name);
  const { trainSize, testSize, seed } = options;
  const byClass: number[][] = Array.from({ length: numClasses }, () => []);
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i];
    if (!(y >= 0 && y < numClasses)) {
      throw new DatasetError(
        ErrorCodes.DATASET_INVALID_SPLIT,
        `${name}: label ${y} at index ${i} is outside 0..${numClasses - 1}; cannot stratify.`,
        { index: i, value: y, numClasses, dataset: name },
      );
    }
    byClass[y].push(i);
  }
  const sizes = byClass.map((rows) => rows.length);
  const trainPer = apportion(sizes, trainSize, labels.length, sizes);
  const testPer = apportion(
    sizes,
    testSize,
    labels.length,
    sizes.map((n, c) => n - trainPer[c]),
  );

  const rng = new Rng(seed);
  const train = new Int32Array(trainSize);
  const test = new Int32Array(testSize);
  let t = 0;
  let s = 0;
  for (let c = 0; c < numClasses; c++) {
    const rows = rng.shuffle(byClass[c]);
    for (let k = 0; k < trainPer[c]; k++) train[t++] = rows[k];
    for (let k = 0; k < testPer[c]; k++) test[s++] = rows[trainPer[c] + k];
  }
  rng.shuffle(train);
  rng.shuffle(test);
  return { train, test };
}

/** A seeded stratified train/test split of any ImageDataset; both halves are copies. */
export function stratifiedSplit(ds: ImageDataset, options: SplitOptions): DatasetSplit {
  const { train, test } = stratifiedSplitIndices(ds.labels.subarray(0, ds.count), ds.numClasses, options, ds.name);
  return {
    train: subsetDataset(ds, train, `${ds.name}/train`),
    test: subsetDataset(ds, test, `${ds.name}/test`),
    seed: options.seed,
  };
}
