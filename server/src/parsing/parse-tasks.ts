import type { DatasetRecord } from '@temper/contracts';
import { predictDataset, subsetDataset, type Preprocessing } from '@temper/edge';
import { encodeEdgeSample, quantizeDataset } from '@temper/edge/device';
import { loadClassifier, type ModelInfo } from '@temper/edge/io';
import { parseCifar10 } from '../datasets/cifar10.ts';
import { parseIdxDataset } from '../datasets/idx-dataset.ts';
import { loadStoredDataset, loadStoredModel } from '../jobs/worker-inputs.ts';
import type { StoredModelRef } from '../jobs/protocol.ts';
import { BytesArtifacts } from './bytes-artifacts.ts';

/** What an upload asks the parse pool to check: the bytes, as the request carried them. */
export type ParseTask =
  | { readonly kind: 'model'; readonly modelJson: Uint8Array; readonly shards: Record<string, Uint8Array>; readonly preprocessing?: Preprocessing | unknown; readonly featureLayer?: string }
  | {
      readonly kind: 'idx';
      readonly images: Uint8Array;
      readonly labels: Uint8Array;
      readonly name: string;
      readonly numClasses?: number;
      readonly classNames?: readonly string[];
      readonly sources: { readonly images: string; readonly labels: string };
    }
  | { readonly kind: 'cifar10'; readonly batches: Uint8Array[]; readonly meta?: Uint8Array; readonly name: string; readonly sources: string[]; readonly metaSource?: string }
  /** An edge check's sample: the first `count` test images, quantized, with the model's predictions on them. */
  | { readonly kind: 'edge-sample'; readonly dataset: DatasetRecord; readonly model: StoredModelRef; readonly artifacts: Record<string, Uint8Array>; readonly count: number };

/** An encoded edge sample (edge/device sample-format) and how many images it holds. */
export interface EdgeSample {
  readonly bytes: Uint8Array;
  readonly count: number;
}

/** A parsed dataset as the store records it (the pixels stay in the worker). */
export interface DatasetShape {
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  readonly numClasses: number;
  readonly count: number;
  readonly classNames: string[] | null;
}

export type ParseResult<T extends ParseTask> = T extends { kind: 'model' } ? ModelInfo : T extends { kind: 'edge-sample' } ? EdgeSample : DatasetShape;

/** Runs one task to the end; every failure a user can cause is a TemperError (parse-worker.ts sends it back). */
export async function runParseTask(task: ParseTask): Promise<ModelInfo | DatasetShape | EdgeSample> {
  if (task.kind === 'edge-sample') return buildEdgeSample(task);
  if (task.kind === 'model') {
    const { classifier, info } = await loadClassifier({
      modelJson: task.modelJson,
      shards: task.shards,
      ...(task.preprocessing !== undefined && task.preprocessing !== null ? { preprocessing: task.preprocessing as Preprocessing } : {}),
      ...(task.featureLayer ? { featureLayer: task.featureLayer } : {}),
      purpose: 'harden',
    });
    classifier.model.dispose();
    return info;
  }
  const ds =
    task.kind === 'idx'
      ? parseIdxDataset({ images: task.images, labels: task.labels, name: task.name, numClasses: task.numClasses, classNames: task.classNames, sources: task.sources })
      : parseCifar10({ batches: task.batches, meta: task.meta, name: task.name, sources: task.sources, metaSource: task.metaSource });
  return { height: ds.height, width: ds.width, channels: ds.channels, numClasses: ds.numClasses, count: ds.count, classNames: ds.classNames ? [...ds.classNames] : null };
}

async function buildEdgeSample(task: Extract<ParseTask, { kind: 'edge-sample' }>): Promise<EdgeSample> {
  const artifacts = new BytesArtifacts(task.artifacts);
  const split = await loadStoredDataset(artifacts, task.dataset);
  const count = Math.min(task.count, split.test.count);
  // The server predicts on the quantized images, exactly what the device decodes (sample-format.ts).
  const test = quantizeDataset(subsetDataset(split.test, Array.from({ length: count }, (_, i) => i)));
  const { classifier } = await loadStoredModel(artifacts, task.model, 'evaluate');
  try {
    const serverPredictions = await predictDataset(classifier, test);
    return { bytes: encodeEdgeSample({ ...test, images: test.images, serverPredictions }), count };
  } finally {
    classifier.model.dispose();
  }
}
