import * as tfl from '@tensorflow/tfjs-layers';
import { SeedSequence, scaled, type ResolvedZooOptions } from './options.ts';

/** Two hidden ReLU layers; the second is the `features` layer. The baseline that trains fastest. */
export function buildMlp(o: ResolvedZooOptions): tfl.LayersModel {
  const seeds = new SeedSequence(o.seed);
  const input = tfl.input({ shape: o.inputShape, name: 'image' });
  let h = tfl.layers.flatten({ name: 'flatten' }).apply(input) as tfl.SymbolicTensor;
  h = tfl.layers
    .dense({ units: scaled(256, o.widthMultiplier), activation: 'relu', kernelInitializer: tfl.initializers.heNormal({ seed: seeds.take() }), name: 'hidden' })
    .apply(h) as tfl.SymbolicTensor;
  h = tfl.layers
    .dense({ units: o.featureWidth, activation: 'relu', kernelInitializer: tfl.initializers.heNormal({ seed: seeds.take() }), name: 'features' })
    .apply(h) as tfl.SymbolicTensor;
  const logits = tfl.layers
    .dense({ units: o.numClasses, kernelInitializer: tfl.initializers.glorotUniform({ seed: seeds.take() }), name: 'logits' })
    .apply(h) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: logits, name: 'mlp' });
}
