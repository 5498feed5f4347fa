import * as tfl from '@tensorflow/tfjs-layers';
import { SeedSequence, scaled, type ResolvedZooOptions } from './options.ts';

type Sym = tfl.SymbolicTensor;

/**
 * A small pre-activation-free ResNet (three stages, one basic block each) with batch norm.
 * Global average pooling is tfjs-layers' GlobalAveragePooling2D, which is a `mean` (second-order
 * differentiable), not the avgPool kernel.
 */
export function buildResnet(o: ResolvedZooOptions): tfl.LayersModel {
  const seeds = new SeedSequence(o.seed);
  const conv = (filters: number, kernelSize: number, strides: number, name: string) =>
    tfl.layers.conv2d({
      filters,
      kernelSize,
      strides,
      padding: 'same',
      useBias: false,
      kernelInitializer: tfl.initializers.heNormal({ seed: seeds.take() }),
      name,
    });
  const bn = (name: string) => tfl.layers.batchNormalization({ name });
  const relu = (name: string) => tfl.layers.activation({ activation: 'relu', name });

  const block = (x: Sym, filters: number, strides: number, name: string): Sym => {
    let h = conv(filters, 3, strides, `${name}_conv1`).apply(x) as Sym;
    h = relu(`${name}_relu1`).apply(bn(`${name}_bn1`).apply(h)) as Sym;
    h = conv(filters, 3, 1, `${name}_conv2`).apply(h) as Sym;
    h = bn(`${name}_bn2`).apply(h) as Sym;
    const inChannels = x.shape[x.shape.length - 1];
    const shortcut =
      strides !== 1 || inChannels !== filters
        ? (bn(`${name}_proj_bn`).apply(conv(filters, 1, strides, `${name}_proj`).apply(x)) as Sym)
        : x;
    return relu(`${name}_out`).apply(tfl.layers.add({ name: `${name}_add` }).apply([h, shortcut])) as Sym;
  };

  const input = tfl.input({ shape: o.inputShape, name: 'image' });
  const w = (n: number) => scaled(n, o.widthMultiplier);
  let h = conv(w(16), 3, 1, 'stem_conv').apply(input) as Sym;
  h = relu('stem_relu').apply(bn('stem_bn').apply(h)) as Sym;
  h = block(h, w(16), 1, 'stage1');
  h = block(h, w(32), 2, 'stage2');
  h = block(h, w(64), 2, 'stage3');
  h = tfl.layers.globalAveragePooling2d({ name: 'pool' }).apply(h) as Sym;
  h = tfl.layers
    .dense({ units: o.featureWidth, activation: 'relu', kernelInitializer: tfl.initializers.heNormal({ seed: seeds.take() }), name: 'features' })
    .apply(h) as Sym;
  const logits = tfl.layers
    .dense({ units: o.numClasses, kernelInitializer: tfl.initializers.glorotUniform({ seed: seeds.take() }), name: 'logits' })
    .apply(h) as Sym;
  return tfl.model({ inputs: input, outputs: logits, name: 'resnet' });
}
