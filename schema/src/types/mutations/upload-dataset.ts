import { z } from 'zod';
import { DatasetError, DatasetFormatError } from '@temper/edge';
import { builder } from '../../builder.ts';
import { UploadError } from '../../errors.ts';
import { Dataset } from '../dataset.ts';
import { UploadDatasetFormat } from '../enums.ts';

const UploadDatasetInput = builder.inputType('UploadDatasetInput', {
  fields: (t) => ({
    name: t.string({ validate: z.string().trim().min(1).max(200) }),
    format: t.field({ type: UploadDatasetFormat }),
    images: t.field({ type: 'Upload', required: false, description: 'IDX: the images file (raw or gzip).' }),
    labels: t.field({ type: 'Upload', required: false, description: 'IDX: the labels file (raw or gzip).' }),
    batches: t.field({ type: ['Upload'], required: false, description: 'CIFAR10: binary batch files (data_batch_*.bin, test_batch.bin), in order.' }),
    meta: t.field({ type: 'Upload', required: false, description: 'CIFAR10: batches.meta.txt.' }),
    numClasses: t.int({ required: false, validate: z.number().int().min(2).max(1000) }),
    classNames: t.stringList({ required: false }),
    trainSize: t.int({ required: false, validate: z.number().int().min(1) }),
    testSize: t.int({ required: false, validate: z.number().int().min(1) }),
  }),
});

builder.mutationField('uploadDataset', (t) =>
  t.field({
    type: Dataset,
    description: 'Uploads an IDX image/label pair or CIFAR-10 binary batches. Nothing is stored unless the files parse.',
    errors: { types: [DatasetFormatError, DatasetError, UploadError] },
    args: { input: t.arg({ type: UploadDatasetInput }) },
    resolve: (_r, { input }, ctx) => ctx.services.uploadDataset(ctx.viewer!.id, input),
  }),
);
