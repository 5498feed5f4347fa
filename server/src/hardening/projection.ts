import * as tfl from '@tensorflow/tfjs-layers';
import type { Classifier } from '@temper/edge';

export const PROJECTION_LAYER = 'rrm_projection';
export const PROJECTED_LOGITS_LAYER = 'rrm_logits';

/**
 * The student with a Linear layer (no activation) from its feature layer to `width` units and a new
 * classifier on top, as RRM's released code changes the architecture when student and teacher
 * feature widths differ (rather than adding a projection inside the loss). The trunk's layers are
 * shared with the original model; its old classifier layer is no longer used.
 */
export function withProjection(student: Classifier, width: number, seed: number): Classifier {
  const features = student.model.getLayer(student.featureLayer).output as tfl.SymbolicTensor;
  const flat = features.shape.length > 2 ? (tfl.layers.flatten({ name: 'rrm_flatten' }).apply(features) as tfl.SymbolicTensor) : features;
  const projected = tfl.layers
    .dense({ units: width, activation: 'linear', kernelInitializer: tfl.initializers.glorotUniform({ seed: seed * 1000 + 901 }), name: PROJECTION_LAYER })
    .apply(flat) as tfl.SymbolicTensor;
  const out = tfl.layers
    .dense({ units: student.numClasses, kernelInitializer: tfl.initializers.glorotUniform({ seed: seed * 1000 + 902 }), name: PROJECTED_LOGITS_LAYER })
    .apply(projected) as tfl.SymbolicTensor;
  const model = tfl.model({ inputs: student.model.inputs, outputs: out, name: `${student.model.name}_rrm` });
  return { ...student, model, featureLayer: PROJECTION_LAYER };
}
