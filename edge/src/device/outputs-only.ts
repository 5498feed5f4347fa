import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { Classifier } from '../models/classifier.ts';

/**
 * The student as a black-box attacker on the device sees it: its outputs can be read, nothing can be
 * differentiated through it. Square and the transfer attack's final classification run against this
 * view, so "black-box" is enforced at run time rather than promised: any gradient that reaches the
 * student's outputs throws BLACK_BOX_GRADIENT_MESSAGE (a Temper bug, not a user error).
 */
export const BLACK_BOX_GRADIENT_MESSAGE = 'Internal: a gradient was requested through the black-box student; edge attacks may only read its outputs.';

const opaque = tf.customGrad(((z: tf.Tensor) => ({
  value: tf.clone(z),
  gradFunc: () => {
    throw new Error(BLACK_BOX_GRADIENT_MESSAGE);
  },
})) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (z: tf.Tensor) => tf.Tensor;

export function outputsOnly(c: Classifier): Classifier {
  const model = new Proxy(c.model, {
    get(target, prop, receiver) {
      if (prop === 'apply') {
        return (inputs: tf.Tensor | tf.Tensor[], kwargs?: Record<string, unknown>) => {
          const out = target.apply(inputs, kwargs);
          if (Array.isArray(out)) throw new Error('Internal: outputsOnly expects a single-output classifier model.');
          // logits() runs this inside its tidy, which also frees `out`.
          return opaque(out as tf.Tensor);
        };
      }
      return Reflect.get(target, prop, receiver);
    },
  }) as LayersModel;
  return Object.freeze({ ...c, model });
}
