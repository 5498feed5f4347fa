/**
 * The schema's enums. (One file for the small value sets; every object type has its own file.)
 */
import { HARDENING_METHOD_KEYS, HARDENING_METHODS, JOB_STATUS_NAMES, JOB_STATUSES, type HardeningMethodKey, type HardeningMethodName, type JobStatus as JobStatusName } from '@temper/contracts';
import { builder } from '../builder.ts';

/** Values and descriptions come from the catalogue in @temper/contracts, so the enum cannot drift from the registry or the CLI. */
export const HardeningMethod = builder.enumType('HardeningMethod', {
  description: 'How a model is hardened (see docs/methods.md).',
  values: Object.fromEntries(HARDENING_METHOD_KEYS.map((k) => [k, { value: HARDENING_METHODS[k].value, description: HARDENING_METHODS[k].description }])) as Record<
    HardeningMethodKey,
    { value: HardeningMethodName; description: string }
  >,
});

export const ModelSource = builder.enumType('ModelSource', {
  values: {
    UPLOADED: { description: 'Uploaded through uploadModel.' },
    ZOO: { description: 'Built from a zoo architecture (createZooModel).' },
    HARDENED: { description: 'The student a hardening job produced.' },
  } as const,
});

export const DatasetSource = builder.enumType('DatasetSource', { values: ['BUILTIN', 'UPLOADED'] as const });
export const DatasetFormat = builder.enumType('DatasetFormat', { values: ['BUILTIN', 'IDX', 'CIFAR10'] as const });
export const UploadDatasetFormat = builder.enumType('UploadDatasetFormat', { values: ['IDX', 'CIFAR10'] as const });

export const JobKind = builder.enumType('JobKind', {
  values: {
    HARDEN: { description: 'hardenModel' },
    EVALUATE: { description: 'evaluateModel' },
    TRAIN_ZOO: { description: 'createZooModel' },
    EDGE_SAMPLE: { description: "createEdgeCheck's sample" },
  } as const,
});

export const JobStatus = builder.enumType('JobStatus', {
  values: Object.fromEntries(JOB_STATUS_NAMES.map((k) => [k, { description: JOB_STATUSES[k].description }])) as Record<JobStatusName, { description: string }>,
});

export const JobEventKind = builder.enumType('JobEventKind', {
  values: {
    STATUS: { description: 'The job changed status.' },
    PROGRESS: { description: 'A training or evaluation progress report.' },
    LOG: { description: 'A log line.' },
    CHECKPOINT: { description: 'A checkpoint was saved; a restarted job resumes from the latest one.' },
  } as const,
});
