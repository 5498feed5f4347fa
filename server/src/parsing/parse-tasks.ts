import type { ImageDataset, Preprocessing } from '@temper/edge';
import { headFor, nearChanceCheck } from '../models/upload-warnings.ts';
import { loadClassifier, type ModelInfo } from '@temper/edge/io';
import { parseCifar10 } from '../datasets/cifar10.ts';
import { parseIdxDataset } from '../datasets/idx-dataset.ts';

/** What an upload asks the parse pool to check: the bytes, as the request carried them. */
export type ParseTask =
  | {
      readonly kind: 'model';
      readonly modelJson: Uint8Array;
      readonly shards: Record<string, Uint8Array>;
      readonly preprocessing?: Preprocessing | unknown;
      readonly featureLayer?: string;
      /** Test heads of the built-in datasets: the model is checked on the one that fits (upload-warnings.ts). */
      readonly checkHeads?: readonly ImageDataset[];
    }
  | {
      readonly kind: 'idx';
      readonly images: Uint8Array;
      readonly labels: Uint8Array;
      readonly name: string;
      readonly numClasses?: number;
      readonly classNames?: readonly string[];
      readonly sources: { readonly images: string; readonly labels: string };
    }
  | { readonly kind: 'cifar10'; readonly batches: Uint8Array[]; readonly meta?: Uint8Array; readonly name: string; readonly sources: string[]; readonly metaSource?: string };
// An edge check's sample is compute on a stored model and dataset: an EDGE_SAMPLE job builds it in a worker (jobs/run-edge-sample.ts).

/** A parsed dataset as the store records it (the pixels stay in the worker). */
export interface DatasetShape {
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  readonly numClasses: number;
  readonly count: number;
  readonly classNames: string[] | null;
}

export type ParseResult<T extends ParseTask> = T extends { kind: 'model' } ? ModelInfo : DatasetShape;

/** Runs one task to the end; every failure a user can cause is a TemperError (parse-worker.ts sends it back). */
export async function runParseTask(task: ParseTask): Promise<ModelInfo | DatasetShape> {
  if (task.kind === 'model') {
    const { classifier, info } = await loadClassifier({
      modelJson: task.modelJson,
      shards: task.shards,
      ...(task.preprocessing !== undefined && task.preprocessing !== null ? { preprocessing: task.preprocessing as Preprocessing } : {}),
      ...(task.featureLayer ? { featureLayer: task.featureLayer } : {}),
      purpose: 'harden',
    });
    try {
      const head = task.checkHeads && headFor(task.checkHeads, info.inputShape, info.numClasses);
      const warning = head ? (await nearChanceCheck(classifier, head)).warning : null;
      return warning ? { ...info, warnings: [...info.warnings, warning] } : info;
    } finally {
      classifier.model.dispose();
    }
  }
  const ds =
    task.kind === 'idx'
      ? parseIdxDataset({ images: task.images, labels: task.labels, name: task.name, numClasses: task.numClasses, classNames: task.classNames, sources: task.sources })
      : parseCifar10({ batches: task.batches, meta: task.meta, name: task.name, sources: task.sources, metaSource: task.metaSource });
  return { height: ds.height, width: ds.width, channels: ds.channels, numClasses: ds.numClasses, count: ds.count, classNames: ds.classNames ? [...ds.classNames] : null };
}
