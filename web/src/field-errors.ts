import { TemperClientError, type GraphQLErrorLike } from '@temper/clients';

/**
 * Which form field an API error belongs to, so the form shows it next to that field. Argument
 * validation (BAD_USER_INPUT) names its input path; DomainErrors carry a code, mapped here, and for
 * model/dataset fit errors a `role` (student, teacher, model). '' is the form as a whole.
 */
export type FieldErrors = Readonly<Record<string, string>>;

const FIELD_OF_CODE: Readonly<Record<string, string>> = {
  TEACHER_REQUIRED: 'teacher',
  TEACHER_NOT_USED: 'teacher',
  DATASET_MISMATCH: 'dataset',
  TRAINING_INVALID_CONFIG: 'params',
  MODEL_INVALID_PREPROCESSING: 'preprocessing',
  MODEL_IN_USE: '',
  JOB_FINISHED: '',
};

const PREFIX_FIELDS: readonly [string, string][] = [
  ['ATTACK_', 'attacks'],
  ['UPLOAD_', 'files'],
  ['MODEL_', 'files'],
  ['DATASET_', 'files'],
  ['ZOO_', 'architecture'],
  ['EDGE_', ''],
];

export function fieldErrors(error: unknown): FieldErrors {
  if (!(error instanceof TemperClientError)) return { '': error instanceof Error ? error.message : String(error) };
  if (error.code === 'BAD_USER_INPUT') {
    const out: Record<string, string> = {};
    for (const e of (error.details ?? []) as GraphQLErrorLike[]) {
      const issues = (e.extensions?.['issues'] ?? []) as { message: string; path?: (string | number)[] }[];
      for (const i of issues) out[String(i.path?.[1] ?? '')] ??= `${i.message} (BAD_USER_INPUT)`;
    }
    return Object.keys(out).length ? out : { '': `${error.code}: ${error.message}` };
  }
  const text = `${error.code}: ${error.message}`;
  const details = (error.details ?? {}) as { role?: unknown; typename?: unknown };
  if (typeof details.role === 'string') return { [details.role]: text };
  if (error.code === 'NOT_FOUND' && typeof details.typename === 'string') return { [details.typename.toLowerCase()]: text };
  const field = FIELD_OF_CODE[error.code] ?? PREFIX_FIELDS.find(([p]) => error.code.startsWith(p))?.[1] ?? '';
  return { [field]: text };
}
