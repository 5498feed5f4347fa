/**
 * The schema's enums. (One file for the small value sets; every object type has its own file.)
 */
import { builder } from '../builder.ts';

export const HARDENING_METHODS = {
  NATURAL: { value: 'natural', teacher: false, description: 'Plain cross-entropy training (the reference point).' },
  KD: { value: 'kd', teacher: true, description: 'Knowledge distillation from the teacher, no attack.' },
  PGD_AT: { value: 'pgd-at', teacher: false, description: 'Madry et al. PGD adversarial training.' },
  FAST_AT: { value: 'fast-at', teacher: false, description: 'FGSM with random start (Wong et al.).' },
  FREE_AT: { value: 'free-at', teacher: false, description: 'Free adversarial training (Shafahi et al.).' },
  TRADES: { value: 'trades', teacher: false, description: 'TRADES (Zhang et al.).' },
  ARD: { value: 'ard', teacher: true, description: 'Adversarially robust distillation (Goldblum et al.).' },
  RSLAD: { value: 'rslad', teacher: true, description: 'Robust soft-label adversarial distillation (Zi et al.).' },
  RRM: { value: 'rrm', teacher: true, description: 'Robust representation matching with the teacher\'s features.' },
  ALP: { value: 'alp', teacher: false, description: 'Adversarial logit pairing.' },
  CLP: { value: 'clp', teacher: false, description: 'Clean logit pairing.' },
  LSQ: { value: 'lsq', teacher: false, description: 'Logit squeezing.' },
  IGAM: { value: 'igam', teacher: true, description: 'Input-gradient adversarial matching with the teacher.' },
} as const;

export type HardeningMethodValue = (typeof HARDENING_METHODS)[keyof typeof HARDENING_METHODS]['value'];

export const methodNeedsTeacher = (method: string): boolean => Object.values(HARDENING_METHODS).some((m) => m.value === method && m.teacher);

export const HardeningMethod = builder.enumType('HardeningMethod', {
  description: 'How a model is hardened (see shared/reference/methods.md).',
  values: Object.fromEntries(Object.entries(HARDENING_METHODS).map(([k, v]) => [k, { value: v.value, description: v.description }])) as Record<
    keyof typeof HARDENING_METHODS,
    { value: HardeningMethodValue; description: string }
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
  } as const,
});

export const JobStatus = builder.enumType('JobStatus', {
  values: {
    QUEUED: { description: 'Waiting in the durable queue for a worker.' },
    RUNNING: { description: 'A worker process is running it.' },
    SUCCEEDED: {},
    FAILED: { description: 'See `error`.' },
    CANCELLED: {},
  } as const,
});

export const JobEventKind = builder.enumType('JobEventKind', {
  values: {
    STATUS: { description: 'The job changed status.' },
    PROGRESS: { description: 'A training or evaluation progress report.' },
    LOG: { description: 'A log line.' },
    CHECKPOINT: { description: 'A checkpoint was saved; a restarted job resumes from the latest one.' },
  } as const,
});
