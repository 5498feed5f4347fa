import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** server/teachers/: the committed teachers, one directory per recipe id. */
export function teachersDir(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'teachers');
}
