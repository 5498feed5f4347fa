import { DatasetError, DatasetFormatError, ErrorCodes } from '@temper/edge';

/**
 * Settles a dataset's class count from what the caller gave. Byte-label formats cannot name more
 * than 256 classes, so larger counts are a caller mistake, not a format the files could hold.
 */
export function resolveClasses(
  numClasses: number | undefined,
  classNames: readonly string[] | undefined,
  fallback: number,
): { numClasses: number; classNames?: readonly string[] } {
  const n = numClasses ?? classNames?.length ?? fallback;
  if (!Number.isInteger(n) || n < 1 || n > 256) {
    throw new DatasetError(
      ErrorCodes.DATASET_INVALID_OPTIONS,
      `numClasses must be an integer from 1 to 256 (labels are bytes), got ${n}.`,
      { numClasses: n },
    );
  }
  if (classNames && classNames.length !== n) {
    throw new DatasetError(
      ErrorCodes.DATASET_INVALID_OPTIONS,
      `${classNames.length} class names were given for ${n} classes.`,
      { numClasses: n, classNames: classNames.length },
    );
  }
  return classNames ? { numClasses: n, classNames: [...classNames] } : { numClasses: n };
}

/**
 * Throws on the first label outside 0..numClasses-1. The count of bad labels goes in the details
 * too: one stray label is a corrupt byte, thousands mean the wrong class count or the wrong file.
 */
export function checkLabelRange(labels: ArrayLike<number>, numClasses: number, file: string): void {
  let first = -1;
  let bad = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] >= numClasses || labels[i] < 0) {
      if (first < 0) first = i;
      bad++;
    }
  }
  if (first < 0) return;
  const value = labels[first];
  throw new DatasetFormatError(
    ErrorCodes.DATASET_LABEL_OUT_OF_RANGE,
    `${file}: label ${value} at index ${first} is outside 0..${numClasses - 1}` +
      `${bad > 1 ? ` (${bad} labels out of range)` : ''}; pass numClasses if the set has more classes.`,
    { file, index: first, value, numClasses, outOfRange: bad },
  );
}
