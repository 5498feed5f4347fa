import type { Store } from '../store/store.ts';
import { listDatasets } from '../datasets/registry.ts';

/** Shapes of the built-in datasets, known without reading their files (the server starts fast). */
const SHAPES: Record<string, { height: number; width: number; channels: number; numClasses: number }> = {
  mnist: { height: 28, width: 28, channels: 1, numClasses: 10 },
  'mnist-full': { height: 28, width: 28, channels: 1, numClasses: 10 },
};

/** Registers every built-in dataset once, owned by nobody and visible to everyone. */
export async function ensureBuiltinDatasets(store: Store): Promise<void> {
  for (const d of listDatasets()) {
    const shape = SHAPES[d.name];
    if (!shape || (await store.builtinDataset(d.name))) continue;
    await store.insertDataset({
      ownerId: null,
      name: d.name,
      source: 'BUILTIN',
      format: 'BUILTIN',
      builtinName: d.name,
      files: {},
      ...shape,
      count: d.size,
      classNames: null,
      trainSize: d.trainSize,
      testSize: d.testSize,
    });
  }
}
