import { builder } from '../builder.ts';
import { modelWarningCode, type ModelRecord } from '@temper/contracts';
import { ModelSource } from './enums.ts';
import { ModelFile } from './model-file.ts';

export const ModelWarning = builder.objectRef<{ code: string | null; message: string }>('ModelWarning').implement({
  description: 'A warning on a model: what its loader noticed or what the upload\'s quick accuracy pass found.',
  fields: (t) => ({
    code: t.exposeString('code', { nullable: true, description: 'Stable code, or null for a free-text note.' }),
    message: t.exposeString('message'),
  }),
});

export const Model = builder.loadableNode('Model', {
  description: 'A TensorFlow.js layers model: uploaded, built from the zoo, or produced by hardening.',
  id: { resolve: (m: ModelRecord) => m.id },
  load: (ids: string[], ctx) => (ctx.viewer ? ctx.services.modelsByIds(ctx.viewer.id, ids) : Promise.resolve(ids.map(() => null))),
  fields: (t) => ({
    name: t.exposeString('name'),
    source: t.field({ type: ModelSource, resolve: (m) => m.source }),
    format: t.exposeString('format', { description: 'Always "layers-model" for now.' }),
    producer: t.exposeString('producer', { nullable: true, description: 'tfjs, keras2 or keras3, as the uploaded file told.' }),
    architecture: t.exposeString('architecture', { nullable: true, description: 'The zoo architecture, for zoo and hardened-zoo models.' }),
    inputShape: t.intList({ description: '[height, width, channels] of one input image.', resolve: (m) => [...m.inputShape] }),
    numClasses: t.exposeInt('numClasses'),
    parameterCount: t.exposeInt('parameterCount'),
    sha256: t.exposeString('sha256', { description: 'SHA-256 of model.json followed by the shards in manifest order.' }),
    featureLayer: t.exposeString('featureLayer', { description: 'The layer whose output is the penultimate feature vector.' }),
    outputsWereSoftmax: t.exposeBoolean('outputsWereSoftmax', { description: 'The uploaded model ended in softmax; Temper works on its logits twin.' }),
    preprocessing: t.field({ type: 'JSON', resolve: (m) => m.preprocessing }),
    metadata: t.field({
      type: 'JSON',
      nullable: true,
      description: 'What made the model, where Temper records more than createdBy: for a teacher a job trained (teacher: AUTO), its recipe, budget and held-out accuracies.',
      resolve: (m) => m.metadata ?? null,
    }),
    warnings: t.exposeStringList('warnings'),
    warningDetails: t.field({
      type: [ModelWarning],
      description: 'The warnings typed: those with a stable code (UPLOAD_NEAR_CHANCE_ACCURACY...) carry it; free-text loader notes have none.',
      resolve: (m) => m.warnings.map((w) => ({ code: modelWarningCode(w), message: w })),
    }),
    files: t.field({ type: [ModelFile], resolve: (m) => m.files.map((file) => ({ model: m, file })) }),
    modelJsonUrl: t.string({ description: 'Download URL of model.json; weight URLs resolve next to it.', resolve: (m, _a, ctx) => ctx.services.modelFileUrl(m, 'model.json') }),
    createdAt: t.field({ type: 'DateTime', resolve: (m) => m.createdAt }),
  }),
});
