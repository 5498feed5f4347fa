import type { DatasetRecord } from '@temper/contracts';
import type { DatasetSplit, Classifier } from '@temper/edge';
import { loadClassifier, saveClassifier, type ModelInfo } from '@temper/edge/io';
import { ArtifactStore } from '../artifacts/artifact-store.ts';
import { parseCifar10 } from '../datasets/cifar10.ts';
import { parseIdxDataset } from '../datasets/idx-dataset.ts';
import { loadDataset } from '../datasets/registry.ts';
import { stratifiedSplit } from '../datasets/split.ts';
import type { ProducedModel, StoredModelRef } from './protocol.ts';

/** Reading job inputs from the artifact store and writing produced models back, inside a worker. */

export async function loadStoredModel(artifacts: ArtifactStore, ref: StoredModelRef, purpose: 'harden' | 'evaluate'): Promise<{ classifier: Classifier; info: ModelInfo }> {
  const modelJsonFile = ref.files.find((f) => f.name === 'model.json');
  if (!modelJsonFile) throw new Error(`Internal: stored model ${ref.id} has no model.json`);
  const shards: Record<string, Uint8Array> = {};
  for (const f of ref.files) if (f.name !== 'model.json') shards[f.name] = await artifacts.get(f.artifact);
  return loadClassifier({ modelJson: await artifacts.get(modelJsonFile.artifact), shards, preprocessing: ref.preprocessing, featureLayer: ref.featureLayer, purpose });
}

const splits = new Map<string, Promise<DatasetSplit>>();

/** The dataset's seeded train/test split; cached per worker process (datasets never change). */
export function loadStoredDataset(artifacts: ArtifactStore, d: DatasetRecord): Promise<DatasetSplit> {
  let p = splits.get(d.id);
  if (!p) {
    p = (async () => {
      if (d.source === 'BUILTIN') return loadDataset(d.builtinName!, { trainSize: d.trainSize, testSize: d.testSize });
      const get = (role: string) => artifacts.get(d.files[role]);
      const ds =
        d.format === 'IDX'
          ? parseIdxDataset({ images: await get('images'), labels: await get('labels'), name: d.name, numClasses: d.numClasses, classNames: d.classNames ?? undefined })
          : parseCifar10({
              batches: await Promise.all(Object.keys(d.files).filter((k) => k.startsWith('batch')).sort((a, b) => Number(a.slice(5)) - Number(b.slice(5))).map(get)),
              meta: d.files['meta'] ? await get('meta') : undefined,
              name: d.name,
            });
      return stratifiedSplit(ds, { trainSize: d.trainSize, testSize: d.testSize, seed: 0 });
    })();
    p.catch(() => splits.delete(d.id));
    splits.set(d.id, p);
  }
  return p;
}

/** Saves a classifier into the artifact store and describes it as the API stores models. */
export async function storeClassifier(artifacts: ArtifactStore, classifier: Classifier, architecture: string | null): Promise<ProducedModel> {
  const saved = await saveClassifier(classifier);
  const modelJson = new TextEncoder().encode(saved.modelJson);
  // Re-reading the saved files yields exactly what a later upload or download of them would.
  const { classifier: reread, info } = await loadClassifier({ modelJson, shards: { 'weights.bin': saved.weightsBin }, purpose: 'evaluate' });
  reread.model.dispose();
  const mj = await artifacts.put(modelJson);
  const wb = await artifacts.put(saved.weightsBin);
  return {
    files: [
      { name: 'model.json', artifact: mj.hash, bytes: mj.bytes },
      { name: 'weights.bin', artifact: wb.hash, bytes: wb.bytes },
    ],
    producer: info.producer,
    inputShape: [...info.inputShape],
    numClasses: info.numClasses,
    parameterCount: info.parameterCount,
    sha256: info.sha256,
    featureLayer: info.featureLayer,
    outputsWereSoftmax: info.outputsWereSoftmax,
    preprocessing: info.preprocessing,
    architecture,
    warnings: [...info.warnings],
  };
}
