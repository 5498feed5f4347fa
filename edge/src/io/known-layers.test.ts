import { describe, expect, it } from 'vitest';
import { ErrorCodes, type TemperError } from '../errors.ts';
import { assertKnownLayers } from './known-layers.ts';

const layer = (class_name: string, name: string, extra: object = {}) => ({ class_name, config: { name, ...extra } });

describe('assertKnownLayers', () => {
  it('accepts the layers tfjs-layers 4.22 registers, Rescaling included', () => {
    expect(() =>
      assertKnownLayers({
        class_name: 'Sequential',
        config: { layers: ['InputLayer', 'Rescaling', 'Conv2D', 'BatchNormalization', 'ReLU', 'Dropout', 'Flatten', 'Dense', 'Softmax'].map((c, i) => layer(c, `l${i}`)) },
      }),
    ).not.toThrow();
  });

  it('MODEL_UNKNOWN_LAYER names unknown classes with the path of each layer, nested models and wrappers included', () => {
    let e: TemperError | undefined;
    try {
      assertKnownLayers({
        class_name: 'Functional',
        config: {
          layers: [
            layer('InputLayer', 'in'),
            { class_name: 'Sequential', config: { name: 'backbone', layers: [layer('Conv2D', 'c'), layer('SpatialDropout2D', 'sd')] } },
            layer('TimeDistributed', 'td', { layer: layer('Lambda', 'inner') }),
            layer('Lambda', 'scale'),
          ],
        },
      });
    } catch (err) {
      e = err as TemperError;
    }
    expect(e?.code).toBe(ErrorCodes.MODEL_UNKNOWN_LAYER);
    expect(e?.message).toContain('SpatialDropout2D (layer "backbone/sd")');
    expect(e?.message).toContain('Lambda (layer "td/inner", "scale")');
    expect(e?.details).toMatchObject({ classes: ['SpatialDropout2D', 'Lambda'] });
  });
});
