import { ModelWarningCodes } from '@temper/contracts';
import { DatasetError, predictDataset, subsetDataset, type Classifier, type ImageDataset } from '@temper/edge';
import type { ArtifactStore } from '../artifacts/artifact-store.ts';
import { listDatasets } from '../datasets/registry.ts';
import { loadStoredDataset } from '../jobs/worker-inputs.ts';
import type { Store } from '../store/store.ts';

/**
 * The upload's quick sanity pass (issue 14): the new model classifies the first test images of the
 * built-in dataset with its input shape and class count; near-chance accuracy there (or far better
 * accuracy when the pixels are read as [0,255]) usually means the preprocessing is wrong (a [0,255] model uploaded without {kind: "byte"} scores ~13% on MNIST), and the
 * upload answers with a warning instead of silently storing a model every later number will mislead on.
 *
 * Warnings stay strings in the model's `warnings` (the stored format); this one starts with its stable
 * code (@temper/contracts: model-warnings.ts), which the API exposes typed.
 */

/** Examples the pass classifies: a few hundred ms on a CPU for a small CNN. */
export const UPLOAD_CHECK_EXAMPLES = 200;

/**
 * The first UPLOAD_CHECK_EXAMPLES test images of every built-in dataset, read once per process (they are
 * Temper's own files, not user input) and handed to the parse thread with each model upload, which
 * checks the model on the one that fits its input shape and class count.
 */
let heads: Promise<ImageDataset[]> | null = null;
export function builtinCheckHeads(store: Store, artifacts: ArtifactStore): Promise<ImageDataset[]> {
  heads ??= (async () => {
    const out: ImageDataset[] = [];
    const shapes = new Set<string>();
    for (const d of listDatasets()) {
      const r = await store.builtinDataset(d.name);
      if (!r) continue;
      // One head per input shape and class count (headFor takes the first): mnist-full is not read
      // when the 10,000-digit mnist already covers 28x28x1 with 10 classes.
      const shape = `${r.height}x${r.width}x${r.channels}/${r.numClasses}`;
      if (shapes.has(shape)) continue;
      shapes.add(shape);
      try {
        const split = await loadStoredDataset(artifacts, r);
        const n = Math.min(UPLOAD_CHECK_EXAMPLES, split.test.count);
        out.push(subsetDataset(split.test, Array.from({ length: n }, (_, i) => i), r.name));
      } catch (e) {
        // A built-in dataset whose files this server lacks skips the check: the upload itself is fine.
        if (!(e instanceof DatasetError)) throw e;
      }
    }
    return out;
  })();
  heads.catch(() => (heads = null));
  return heads;
}

/** The head an uploaded model of this shape can be checked on; undefined when none fits. */
export function headFor(candidates: readonly ImageDataset[], inputShape: readonly number[], numClasses: number): ImageDataset | undefined {
  return candidates.find((h) => h.height === inputShape[0] && h.width === inputShape[1] && h.channels === inputShape[2] && h.numClasses === numClasses);
}

export interface NearChanceResult {
  readonly dataset: string;
  readonly examples: number;
  readonly accuracy: number;
  readonly chance: number;
  /** Accuracy of the same model fed [0,255] pixels; null when it already declares a preprocessing. */
  readonly byteAccuracy: number | null;
  /** The warning to store, or null when nothing looks wrong. */
  readonly warning: string | null;
}

/** A [0,255] reading this many points above the model as uploaded means its preprocessing is missing. */
export const BYTE_GAIN_THRESHOLD = 0.3;

async function accuracyOn(classifier: Classifier, head: ImageDataset): Promise<number> {
  const predictions = await predictDataset(classifier, head);
  let correct = 0;
  for (let i = 0; i < head.count; i++) if (predictions[i] === head.labels[i]) correct++;
  return head.count === 0 ? 0 : correct / head.count;
}

/**
 * Classifies `head` (the first UPLOAD_CHECK_EXAMPLES test images of a built-in dataset). Warns when accuracy is at most
 * twice chance, or, for a model that declares no preprocessing, when reading the same images as [0,255]
 * pixels is BYTE_GAIN_THRESHOLD better: an MLP trained on bytes keeps ~30% on [0,1] inputs through its
 * biases, above twice chance but plainly the missing {kind: "byte"}.
 */
export async function nearChanceCheck(classifier: Classifier, head: ImageDataset): Promise<NearChanceResult> {
  const n = head.count;
  const accuracy = await accuracyOn(classifier, head);
  const byteAccuracy = classifier.preprocessing.kind === 'unit' && n > 0 ? await accuracyOn({ ...classifier, preprocessing: { kind: 'byte' } }, head) : null;
  const chance = 1 / Math.max(classifier.numClasses, 1);
  const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
  const nearChance = n > 0 && accuracy <= 2 * chance;
  const byteBetter = byteAccuracy !== null && byteAccuracy >= accuracy + BYTE_GAIN_THRESHOLD;
  let warning: string | null = null;
  if (nearChance || byteBetter) {
    warning =
      `${ModelWarningCodes.UPLOAD_NEAR_CHANCE_ACCURACY}: On the first ${n} test images of the built-in ${head.name} dataset this model is ${pct(accuracy)} accurate` +
      (nearChance ? `, at most twice chance (${pct(chance)} for ${classifier.numClasses} classes)` : '') +
      (byteAccuracy !== null ? `; read as [0,255] pixels it would be ${pct(byteAccuracy)}` : '') +
      '. Check its preprocessing: a model trained on [0,255] pixels needs {kind: "byte"}, one trained on normalized inputs needs meanStd; also check the class order. ' +
      '(Harmless for a model not trained on this dataset.)';
  }
  return { dataset: head.name, examples: n, accuracy, chance, byteAccuracy, warning };
}
