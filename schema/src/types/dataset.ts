import { builder } from '../builder.ts';
import type { DatasetRecord } from '@temper/contracts';
import { DatasetFormat, DatasetSource } from './enums.ts';

export const Dataset = builder.loadableNode('Dataset', {
  description: 'A labelled image set, split into train and test by a fixed seed. Built-in datasets are visible to everyone.',
  id: { resolve: (d: DatasetRecord) => d.id },
  load: (ids: string[], ctx) => (ctx.viewer ? ctx.services.datasetsByIds(ctx.viewer.id, ids) : Promise.resolve(ids.map(() => null))),
  fields: (t) => ({
    name: t.exposeString('name'),
    source: t.field({ type: DatasetSource, resolve: (d) => d.source }),
    format: t.field({ type: DatasetFormat, resolve: (d) => d.format }),
    inputShape: t.intList({ description: '[height, width, channels]', resolve: (d) => [d.height, d.width, d.channels] }),
    numClasses: t.exposeInt('numClasses'),
    classNames: t.stringList({ nullable: true, resolve: (d) => (d.classNames ? [...d.classNames] : null) }),
    count: t.exposeInt('count', { description: 'Examples in the files.' }),
    trainSize: t.exposeInt('trainSize'),
    testSize: t.exposeInt('testSize'),
    createdAt: t.field({ type: 'DateTime', resolve: (d) => d.createdAt }),
  }),
});
