export { loadDataset, listDatasets, DEFAULT_SPLIT_SEED, type LoadDatasetOptions } from './registry.ts';
export { loadMnist, MNIST_SIDE } from './mnist.ts';
export { stratifiedSplit, stratifiedSplitIndices, type SplitOptions } from './split.ts';
export { parseIdxDataset, encodeIdxDataset, type ParseIdxDatasetOptions, type EncodeIdxOptions } from './idx-dataset.ts';
export {
  decodeIdx,
  encodeIdx,
  IDX_DTYPES,
  IDX_IMAGES_MAGIC,
  IDX_LABELS_MAGIC,
  IDX_UBYTE,
  type IdxArray,
} from './idx.ts';
export {
  parseCifar10,
  parseCifar10Meta,
  encodeCifar10,
  encodeCifar10Meta,
  CIFAR10_CLASS_NAMES,
  CIFAR10_RECORD_BYTES,
  type ParseCifar10Options,
} from './cifar10.ts';
export { readIdxDatasetFiles, readCifar10Files } from './files.ts';
export { isGzip, maybeGunzip } from './gzip.ts';
