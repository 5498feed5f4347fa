import { gzipSync } from 'node:zlib';
import { DatasetError, DatasetFormatError, ErrorCodes, imageSize, type ImageDataset } from '@temper/edge';
import { checkLabelRange, resolveClasses } from './classes.ts';
import { maybeGunzip } from './gzip.ts';
import { decodeIdx, encodeIdx, hex32, IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC } from './idx.ts';
import { bytesToUnit, unitToByte } from './pixels.ts';

export interface ParseIdxDatasetOptions {
  /** The images file: IDX ubyte N×H×W (grayscale) or N×H×W×C, raw or gzip. */
  readonly images: Uint8Array;
  /** The labels file: IDX ubyte N, raw or gzip. */
  readonly labels: Uint8Array;
  readonly name: string;
  /** Defaults to classNames.length, else 10 (MNIST, Fashion-MNIST, KMNIST). */
  readonly numClasses?: number;
  /** IDX carries no class names (Fashion-MNIST's live in its README), so callers may supply them. */
  readonly classNames?: readonly string[];
  /** How error messages name the two inputs, e.g. their paths. */
  readonly sources?: { readonly images?: string; readonly labels?: string };
}

/** An MNIST-style IDX image/label file pair as an ImageDataset (NHWC float32 in [0,1], int32 labels). */
export function parseIdxDataset(options: ParseIdxDatasetOptions): ImageDataset {
  const imagesFile = options.sources?.images ?? 'images file';
  const labelsFile = options.sources?.labels ?? 'labels file';
  const classes = resolveClasses(options.numClasses, options.classNames, 10);

  const images = decodeIdx(maybeGunzip(options.images, imagesFile), imagesFile, IDX_IMAGES_MAGIC);
  if (images.dims.length !== 3 && images.dims.length !== 4) {
    const hint = images.dims.length === 1 ? ' (this looks like a labels file)' : '';
    throw new DatasetFormatError(
      ErrorCodes.DATASET_BAD_SHAPE,
      `${imagesFile} has ${images.dims.length} dimension(s) [${images.dims.join(', ')}]${hint}; ` +
        `images need 3 (N×H×W, magic ${hex32(IDX_IMAGES_MAGIC)}) or 4 (N×H×W×C).`,
      { file: imagesFile, dims: images.dims },
    );
  }
  const [count, height, width, channels = 1] = images.dims;
  if (height === 0 || width === 0 || channels === 0) {
    throw new DatasetFormatError(
      ErrorCodes.DATASET_BAD_SHAPE,
      `${imagesFile} declares empty images [${images.dims.join(', ')}].`,
      { file: imagesFile, dims: images.dims },
    );
  }

  const labels = decodeIdx(maybeGunzip(options.labels, labelsFile), labelsFile, IDX_LABELS_MAGIC);
  if (labels.dims.length !== 1) {
    throw new DatasetFormatError(
      ErrorCodes.DATASET_BAD_SHAPE,
      `${labelsFile} has ${labels.dims.length} dimensions [${labels.dims.join(', ')}]; labels need 1 ` +
        `(N, magic ${hex32(IDX_LABELS_MAGIC)}).`,
      { file: labelsFile, dims: labels.dims },
    );
  }
  if (labels.dims[0] !== count) {
    throw new DatasetFormatError(
      ErrorCodes.DATASET_COUNT_MISMATCH,
      `${imagesFile} holds ${count} images but ${labelsFile} holds ${labels.dims[0]} labels.`,
      { images: count, labels: labels.dims[0], imagesFile, labelsFile },
    );
  }
  checkLabelRange(labels.data, classes.numClasses, labelsFile);

  // IDX is row-major N,H,W(,C): already NHWC, so the pixels convert in place order.
  return {
    name: options.name,
    images: bytesToUnit(images.data),
    labels: Int32Array.from(labels.data),
    count,
    height,
    width,
    channels,
    ...classes,
  };
}

export interface EncodeIdxOptions {
  /** gzip both files, as MNIST is published. */
  readonly gzip?: boolean;
}

/**
 * An ImageDataset as an IDX images/labels pair (pixels quantized to bytes). Single-channel sets
 * are written N×H×W (magic 0x00000803) so that any MNIST reader accepts them.
 */
export function encodeIdxDataset(
  ds: ImageDataset,
  options: EncodeIdxOptions = {},
): { images: Uint8Array; labels: Uint8Array } {
  const px = new Uint8Array(ds.count * imageSize(ds));
  if (ds.images.length < px.length) {
    throw new DatasetError(
      ErrorCodes.DATASET_INVALID_OPTIONS,
      `${ds.name} declares ${ds.count} images of ${imageSize(ds)} values but holds ${ds.images.length} values.`,
      { name: ds.name },
    );
  }
  for (let i = 0; i < px.length; i++) px[i] = unitToByte(ds.images[i]);
  const lb = new Uint8Array(ds.count);
  for (let i = 0; i < ds.count; i++) {
    const y = ds.labels[i];
    if (!(y >= 0 && y <= 255)) {
      throw new DatasetError(ErrorCodes.DATASET_INVALID_OPTIONS, `Label ${y} at index ${i} does not fit a byte.`, {
        index: i,
        value: y,
      });
    }
    lb[i] = y;
  }
  const dims = ds.channels === 1 ? [ds.count, ds.height, ds.width] : [ds.count, ds.height, ds.width, ds.channels];
  let images = encodeIdx(dims, px);
  let labels = encodeIdx([ds.count], lb);
  if (options.gzip) {
    images = new Uint8Array(gzipSync(images));
    labels = new Uint8Array(gzipSync(labels));
  }
  return { images, labels };
}
