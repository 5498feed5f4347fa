import type * as tfl from '@tensorflow/tfjs-layers';
import { ErrorCodes, ZooError } from '../errors.ts';
import type { Classifier } from '../models/classifier.ts';
import { UNIT_PREPROCESSING } from '../models/preprocessing.ts';
import { buildCnn, buildCnnWide } from './conv-stack.ts';
import { buildMlp } from './mlp.ts';
import { resolveZooOptions, type ResolvedZooOptions, type ZooOptions } from './options.ts';
import { buildResnet } from './resnet.ts';

export type { ZooOptions } from './options.ts';

export interface ZooArchitecture {
  readonly name: string;
  readonly description: string;
  readonly defaultFeatureWidth: number;
  readonly build: (o: ResolvedZooOptions) => tfl.LayersModel;
}

export const ZOO: Readonly<Record<string, ZooArchitecture>> = Object.freeze({
  mlp: { name: 'mlp', description: 'Flatten, dense 256 ReLU, dense features ReLU, logits.', defaultFeatureWidth: 128, build: buildMlp },
  cnn: { name: 'cnn', description: 'Small, fast: conv 16-32-32 (3x3, stride 1-2-2, ReLU), dense features, logits.', defaultFeatureWidth: 128, build: buildCnn },
  'cnn-wide': { name: 'cnn-wide', description: 'Wide conv stack: 32-64-128 channels, dense features, logits.', defaultFeatureWidth: 256, build: buildCnnWide },
  resnet: { name: 'resnet', description: 'Small ResNet: stem + three basic blocks (16-32-64) with batch norm, global mean pool, dense features, logits.', defaultFeatureWidth: 128, build: buildResnet },
});

export function zooArchitectureNames(): string[] {
  return Object.keys(ZOO);
}

export function getZooArchitecture(name: string): ZooArchitecture {
  const arch = Object.hasOwn(ZOO, name) ? ZOO[name] : undefined;
  if (!arch) {
    throw new ZooError(ErrorCodes.ZOO_UNKNOWN_ARCHITECTURE, `Unknown zoo architecture "${name}" (available: ${zooArchitectureNames().join(', ')})`, { name });
  }
  return arch;
}

/** A freshly initialized zoo model, as a Classifier on [0,1] inputs. Same options and seed, same weights. */
export function createZooClassifier(name: string, options: ZooOptions): Classifier {
  const arch = getZooArchitecture(name);
  const resolved = resolveZooOptions(name, options, arch.defaultFeatureWidth);
  return {
    model: arch.build(resolved),
    preprocessing: UNIT_PREPROCESSING,
    inputShape: resolved.inputShape,
    numClasses: resolved.numClasses,
    featureLayer: 'features',
    outputsWereSoftmax: false,
  };
}
