import type { Classifier } from '../models/classifier.ts';
import type { Preprocessing } from '../models/preprocessing.ts';
import { isJsonObject, type JsonObject } from './json.ts';

/** Key under model.json `userDefinedMetadata` where Temper keeps what the weights alone do not say. */
export const TEMPER_METADATA_KEY = 'temper';

export interface TemperModelMetadata {
  readonly formatVersion: 1;
  readonly preprocessing: Preprocessing;
  readonly inputShape: readonly [number, number, number];
  readonly numClasses: number;
  readonly featureLayer: string;
  /** The model as first uploaded ended in softmax; the saved model is its logits twin. */
  readonly outputsWereSoftmax: boolean;
}

export function temperMetadata(c: Classifier): TemperModelMetadata {
  return {
    formatVersion: 1,
    preprocessing: c.preprocessing,
    inputShape: c.inputShape,
    numClasses: c.numClasses,
    featureLayer: c.featureLayer,
    outputsWereSoftmax: c.outputsWereSoftmax,
  };
}

/** What a Temper-saved model.json says about itself; fields are validated where they are used. */
export interface StoredMetadata {
  readonly preprocessing?: unknown;
  readonly featureLayer?: string;
  readonly outputsWereSoftmax?: boolean;
}

export function readTemperMetadata(userDefinedMetadata: JsonObject | undefined): StoredMetadata | undefined {
  const m = userDefinedMetadata?.[TEMPER_METADATA_KEY];
  if (!isJsonObject(m)) return undefined;
  return {
    ...('preprocessing' in m ? { preprocessing: m['preprocessing'] } : {}),
    ...(typeof m['featureLayer'] === 'string' ? { featureLayer: m['featureLayer'] } : {}),
    ...(typeof m['outputsWereSoftmax'] === 'boolean' ? { outputsWereSoftmax: m['outputsWereSoftmax'] } : {}),
  };
}
