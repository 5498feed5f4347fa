import * as tfl from '@tensorflow/tfjs-layers';

type Layer = tfl.layers.Layer;

export interface LogitsModel {
  /** Outputs logits; shares every layer with the input model except a replaced final Dense. */
  readonly model: tfl.LayersModel;
  readonly outputsWereSoftmax: boolean;
  readonly warnings: string[];
}

/**
 * Attacks and training losses need logits: gradients through a saturated softmax vanish, and
 * cross-entropy on probabilities is numerically poor. A model whose last step is a softmax gets a
 * logits twin with the same weights:
 *  - final Activation('softmax') or Softmax layer: the output is moved to that layer's input;
 *  - final Dense(activation='softmax'): a copy of the Dense with a linear activation takes its place,
 *    holding the same kernel and bias (tensors shared, not copied).
 *
 * Takes ownership of `model`: a replaced Dense is disposed, so use only the returned model.
 */
export function toLogitsModel(model: tfl.LayersModel): LogitsModel {
  const warnings: string[] = [];
  const out = model.outputs[0];
  const last = out.sourceLayer as Layer;
  const node = last.inboundNodes[out.nodeIndex];
  const input = node?.inputTensors.length === 1 ? node.inputTensors[0] : undefined;
  const cls = last.getClassName();
  const config = last.getConfig();
  const activation = config['activation'];

  if (input && ((cls === 'Activation' && activation === 'softmax') || (cls === 'Softmax' && isLastAxis(config['axis'], out.shape.length)))) {
    return { model: tfl.model({ inputs: model.inputs, outputs: input, name: model.name }), outputsWereSoftmax: true, warnings };
  }
  if (input && cls === 'Dense' && activation === 'softmax') {
    const ctor = last.constructor as unknown as { fromConfig(cls: unknown, config: unknown): Layer };
    const linear = ctor.fromConfig(last.constructor, { ...config, activation: 'linear' });
    const logits = linear.apply(input) as tfl.SymbolicTensor;
    linear.setWeights(last.getWeights());
    last.dispose();
    return { model: tfl.model({ inputs: model.inputs, outputs: logits, name: model.name }), outputsWereSoftmax: true, warnings };
  }
  if (activation === 'sigmoid' || activation === 'relu' || activation === 'softplus') {
    warnings.push(
      `The output layer "${last.name}" applies ${String(activation)}, so its outputs are not logits; ` +
        'attacks and losses will treat them as logits anyway.',
    );
  }
  return { model, outputsWereSoftmax: false, warnings };
}

function isLastAxis(axis: unknown, rank: number): boolean {
  const a = Array.isArray(axis) && axis.length === 1 ? axis[0] : axis;
  return a == null || a === -1 || a === rank - 1;
}
