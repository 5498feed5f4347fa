import * as tfl from '@tensorflow/tfjs-layers';
import { SeedSequence, scaled, type ResolvedZooOptions } from './options.ts';

/**
 * A plain conv stack that downsamples with stride-2 convolutions instead of pooling: tfjs has no
 * second-order gradient for maxPool/avgPool, and IGAM differentiates through the input gradient.
 */
export function buildConvStack(o: ResolvedZooOptions, name: string, channels: readonly [number, number, number]): tfl.LayersModel {
  const seeds = new SeedSequence(o.seed);
  const input = tfl.input({ shape: o.inputShape, name: 'image' });
  const conv = (filters: number, strides: number, layerName: string) =>
    tfl.layers.conv2d({
      filters: scaled(filters, o.widthMultiplier),
      kernelSize: 3,
      strides,
      padding: 'same',
      activation: 'relu',
      kernelInitializer: tfl.initializers.heNormal({ seed: seeds.take() }),
      name: layerName,
    });
  let h = conv(channels[0], 1, 'conv1').apply(input) as tfl.SymbolicTensor;
  h = conv(channels[1], 2, 'conv2').apply(h) as tfl.SymbolicTensor;
  h = conv(channels[2], 2, 'conv3').apply(h) as tfl.SymbolicTensor;
  h = tfl.layers.flatten({ name: 'flatten' }).apply(h) as tfl.SymbolicTensor;
  h = tfl.layers
    .dense({ units: o.featureWidth, activation: 'relu', kernelInitializer: tfl.initializers.heNormal({ seed: seeds.take() }), name: 'features' })
    .apply(h) as tfl.SymbolicTensor;
  const logits = tfl.layers
    .dense({ units: o.numClasses, kernelInitializer: tfl.initializers.glorotUniform({ seed: seeds.take() }), name: 'logits' })
    .apply(h) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: logits, name });
}

/** Small and fast: 16-32-32 channels. The default student. */
export function buildCnn(o: ResolvedZooOptions): tfl.LayersModel {
  return buildConvStack(o, 'cnn', [16, 32, 32]);
}

/** Four times the channels of `cnn`: a larger teacher or a higher-capacity student. */
export function buildCnnWide(o: ResolvedZooOptions): tfl.LayersModel {
  return buildConvStack(o, 'cnn_wide', [32, 64, 128]);
}
