import type * as tfl from '@tensorflow/tfjs-layers';
import { ErrorCodes, ModelCompatibilityError } from '../errors.ts';
import type { Classifier } from '../models/classifier.ts';
import { validatePreprocessing, type Preprocessing } from '../models/preprocessing.ts';
import { findFeatureLayer } from './feature-layer.ts';
import { toLogitsModel } from './softmax.ts';

/** What the dataset requires of the model; omitted fields are taken from the model. */
export interface ExpectedShape {
  /** [height, width, channels] of the dataset's images. */
  readonly inputShape?: readonly [number, number, number];
  readonly numClasses?: number;
}

export interface ClassifierOptions {
  /** `{kind: 'unit' | 'byte' | 'meanStd', ...}`; validated; default unit ([0,1] inputs). */
  readonly preprocessing?: unknown;
  /** Feature layer name; default: the layer named "features", else the input of the last Dense. */
  readonly featureLayer?: string;
  readonly expect?: ExpectedShape;
}

export interface InspectedClassifier {
  readonly classifier: Classifier;
  readonly className: string;
  readonly parameterCount: number;
  readonly warnings: string[];
}

/**
 * Wraps an in-process LayersModel (zoo, tests) as a Classifier, deriving a logits model when it
 * ends in softmax. Takes ownership of `model`: from here on dispose `classifier.model` only.
 */
export function classifierFromModel(model: tfl.LayersModel, options: ClassifierOptions = {}): Classifier {
  return inspectClassifier(model, options).classifier;
}

/** `classifierFromModel` plus the facts the loader reports. Checks shapes before touching the model. */
export function inspectClassifier(model: tfl.LayersModel, options: ClassifierOptions = {}): InspectedClassifier {
  const warnings: string[] = [];
  const inputShape = checkInput(model, options.expect?.inputShape);
  const numClasses = checkOutput(model, options.expect?.numClasses);
  const preprocessing: Preprocessing = validatePreprocessing(options.preprocessing, inputShape[2]);
  // Found on the original model: the softmax rewrite keeps the names and inputs of every other layer.
  const featureLayer = findFeatureLayer(model, options.featureLayer);
  const className = model.getClassName();

  if (options.preprocessing == null) {
    const scale = inputRescale(model);
    if (scale !== undefined && Math.abs(scale * 255 - 1) < 1e-3) {
      warnings.push(`The model starts with Rescaling(${scale}), so it probably expects [0,255] inputs: pass preprocessing {kind: "byte"}.`);
    }
  }

  const logits = toLogitsModel(model);
  warnings.push(...logits.warnings);
  const classifier: Classifier = Object.freeze({
    model: logits.model,
    preprocessing,
    inputShape,
    numClasses,
    featureLayer,
    outputsWereSoftmax: logits.outputsWereSoftmax,
  });
  return { classifier, className, parameterCount: logits.model.countParams(), warnings };
}

function checkInput(model: tfl.LayersModel, expected: ExpectedShape['inputShape']): readonly [number, number, number] {
  const mismatch = (message: string, details: Record<string, unknown>) =>
    new ModelCompatibilityError(ErrorCodes.MODEL_INPUT_SHAPE_MISMATCH, message, details);
  if (model.inputs.length !== 1) {
    throw mismatch(`The model takes ${model.inputs.length} inputs; a Temper classifier takes one image batch.`, { inputs: model.inputs.length });
  }
  const shape = model.inputs[0].shape;
  if (shape.length !== 4) {
    throw mismatch(
      `The model input has shape ${fmt(shape)}; Temper feeds image batches [batch, height, width, channels] (channels last). ` +
        'Add a Reshape/Flatten inside the model rather than flattening outside it.',
      { modelInputShape: shape, expected: expected ?? null },
    );
  }
  const dims = shape.slice(1);
  if (expected) {
    if (dims.some((d, i) => d != null && d !== expected[i])) {
      throw mismatch(
        `The model expects ${dims.map((d) => d ?? '?').join('x')} images but the dataset has ${expected.join('x')} images (height x width x channels).`,
        { modelInputShape: shape, expected },
      );
    }
    return Object.freeze([...expected]) as unknown as readonly [number, number, number];
  }
  if (dims.some((d) => d == null)) {
    throw mismatch(`The model input ${fmt(shape)} leaves the image size open; pass the dataset's image shape as expect.inputShape.`, {
      modelInputShape: shape,
    });
  }
  return Object.freeze(dims as number[]) as unknown as readonly [number, number, number];
}

function checkOutput(model: tfl.LayersModel, expected: number | undefined): number {
  const mismatch = (message: string, details: Record<string, unknown>) =>
    new ModelCompatibilityError(ErrorCodes.MODEL_OUTPUT_CLASSES_MISMATCH, message, details);
  if (model.outputs.length !== 1) {
    throw mismatch(`The model has ${model.outputs.length} outputs; a classifier has one [batch, classes] output.`, { outputs: model.outputs.length });
  }
  const shape = model.outputs[0].shape;
  const k = shape[1];
  if (shape.length !== 2 || k == null) {
    throw mismatch(`The model output has shape ${fmt(shape)}, not [batch, classes].`, { modelOutputShape: shape, expected: expected ?? null });
  }
  if (expected !== undefined && k !== expected) {
    throw mismatch(`The model outputs ${k} classes but the dataset has ${expected}.`, { modelClasses: k, expected });
  }
  if (k < 2) {
    throw mismatch('The model has a single output unit (a binary sigmoid model); Temper needs one logit per class.', { modelClasses: k });
  }
  return k;
}

/** The scale of a Rescaling layer applied directly to the input, if there is one. */
function inputRescale(model: tfl.LayersModel): number | undefined {
  const first = model.layers.find((l) => l.getClassName() !== 'InputLayer');
  if (!first || first.getClassName() !== 'Rescaling') return undefined;
  const scale = first.getConfig()['scale'];
  return typeof scale === 'number' ? scale : undefined;
}

function fmt(shape: readonly (number | null)[]): string {
  return `[${shape.map((d) => d ?? 'null').join(', ')}]`;
}
