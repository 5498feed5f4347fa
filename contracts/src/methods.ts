/**
 * The hardening methods: the one list the GraphQL enum, the server's registry of method
 * definitions, the CLI's `--method` and `serverInfo.methods` derive from. The keys are the GraphQL
 * enum values, `value` is the name the API, the CLI and the job records spell. What a method
 * computes (losses, defaults that depend on the dataset and eps) stays in the server's
 * `hardening/methods/<name>.ts`; a test there checks that each definition agrees with its entry.
 */

/** Batch-norm mode of the student during the method's attack (docs/methods.md, "Batch norm modes"). */
export type AttackBatchNorm = 'train' | 'inference' | 'no attack';

export interface HardeningMethodEntry {
  readonly value: string;
  readonly title: string;
  /** The paper / code the method follows. */
  readonly reference: string;
  readonly description: string;
  /** Whether the method distills from (or matches) a robust teacher. */
  readonly teacher: boolean;
  readonly attackBatchNorm: AttackBatchNorm;
  /** The method's own settings (`params` of a hardening request), besides COMMON_METHOD_PARAMS. */
  readonly params: readonly string[];
}

/** Settings every method takes: the optimizer and its schedule, and the held-out monitor. */
export const COMMON_METHOD_PARAMS = Object.freeze(['optimizer', 'lr', 'momentum', 'weightDecay', 'schedule', 'milestones', 'lrFactor', 'monitorSize', 'monitorPgdSteps'] as const);

/**
 * Settings of the robustness-distillation methods' teacher check (measured before training; a
 * teacher below the floor is refused with TEACHER_NOT_ROBUST unless forceTeacher is set).
 */
export const TEACHER_CHECK_PARAMS = Object.freeze(['forceTeacher', 'teacherMinRobustAccuracy', 'teacherCheckSize', 'teacherCheckSteps'] as const);

export const HARDENING_METHODS = {
  NATURAL: {
    value: 'natural',
    title: 'Natural training',
    reference: 'ERM on clean inputs (no robustness); the baseline of every table',
    description: 'Plain cross-entropy training (the reference point).',
    teacher: false,
    attackBatchNorm: 'no attack',
    params: [],
  },
  KD: {
    value: 'kd',
    title: 'Knowledge distillation',
    reference: 'Hinton, Vinyals, Dean 2015',
    description: 'Knowledge distillation from the teacher, no attack.',
    teacher: true,
    attackBatchNorm: 'no attack',
    params: ['alpha', 'tau', 'cacheTeacher'],
  },
  PGD_AT: {
    value: 'pgd-at',
    title: 'PGD adversarial training (Madry)',
    reference: 'Madry, Makelov, Schmidt, Tsipras, Vladu 2018',
    description: 'Madry et al. PGD adversarial training.',
    teacher: false,
    attackBatchNorm: 'train',
    params: ['steps', 'stepSize', 'randomStart', 'epsWarmupEpochs'],
  },
  FAST_AT: {
    value: 'fast-at',
    title: 'Fast AT (FGSM with random start)',
    reference: 'Wong, Rice, Kolter 2020',
    description: 'FGSM with random start (Wong et al.).',
    teacher: false,
    attackBatchNorm: 'train',
    params: ['stepSize'],
  },
  FREE_AT: {
    value: 'free-at',
    title: 'Free AT (minibatch replay)',
    reference: 'Shafahi et al. 2019, "Adversarial training for free!"',
    description: 'Free adversarial training (Shafahi et al.).',
    teacher: false,
    attackBatchNorm: 'train',
    params: ['replays', 'stepSize'],
  },
  TRADES: {
    value: 'trades',
    title: 'TRADES',
    reference: 'Zhang, Yu, Jiao, Xing, El Ghaoui, Jordan 2019',
    description: 'TRADES (Zhang et al.).',
    teacher: false,
    attackBatchNorm: 'inference',
    params: ['beta', 'steps', 'stepSize'],
  },
  ARD: {
    value: 'ard',
    title: 'ARD (adversarially robust distillation)',
    reference: 'Goldblum, Fowl, Feizi, Goldstein 2020',
    description: 'Adversarially robust distillation (Goldblum et al.).',
    teacher: true,
    attackBatchNorm: 'train',
    params: ['alpha', 'tau', 'steps', 'stepSize', 'cacheTeacher', ...TEACHER_CHECK_PARAMS],
  },
  RSLAD: {
    value: 'rslad',
    title: 'RSLAD (robust soft label adversarial distillation)',
    reference: 'Zi, Zhao, Ma, Jiang 2021',
    description: 'Robust soft-label adversarial distillation (Zi et al.).',
    teacher: true,
    attackBatchNorm: 'inference',
    params: ['steps', 'stepSize', 'cacheTeacher', ...TEACHER_CHECK_PARAMS],
  },
  RRM: {
    value: 'rrm',
    title: 'RRM (robust representation matching)',
    reference: 'Vaishnavi, Eykholt, Rahmati 2022',
    description: "Robust representation matching with the teacher's features.",
    teacher: true,
    attackBatchNorm: 'no attack',
    params: ['lambda', 'cacheTeacher', 'noiseStd', ...TEACHER_CHECK_PARAMS],
  },
  ALP: {
    value: 'alp',
    title: 'ALP (adversarial logit pairing)',
    reference: 'Kannan, Kurakin, Goodfellow 2018',
    description: 'Adversarial logit pairing.',
    teacher: false,
    attackBatchNorm: 'inference',
    params: ['lambda', 'steps', 'stepSize', 'attackLabels'],
  },
  CLP: {
    value: 'clp',
    title: 'CLP (clean logit pairing)',
    reference: 'Kannan, Kurakin, Goodfellow 2018',
    description: 'Clean logit pairing.',
    teacher: false,
    attackBatchNorm: 'no attack',
    params: ['lambda', 'noiseStd'],
  },
  LSQ: {
    value: 'lsq',
    title: 'Logit squeezing',
    reference: 'Kannan, Kurakin, Goodfellow 2018',
    description: 'Logit squeezing.',
    teacher: false,
    attackBatchNorm: 'no attack',
    params: ['lambda', 'noiseStd'],
  },
  IGAM: {
    value: 'igam',
    title: 'IGAM (input gradient adversarial matching)',
    reference: 'Chan, Tay, Ong 2020, "What it thinks is important is important"',
    description: 'Input-gradient adversarial matching with the teacher.',
    teacher: true,
    attackBatchNorm: 'no attack',
    params: ['beta', 'gamma', 'discEvery', 'discChannels', 'discLr', 'finetuneEpochs', 'finetuneLr', 'cacheTeacher', 'betaStartFraction', 'inputPerturbation', 'discOptimizer', ...TEACHER_CHECK_PARAMS],
  },
} as const satisfies Record<string, HardeningMethodEntry>;

/** The GraphQL enum value of a method (PGD_AT). */
export type HardeningMethodKey = keyof typeof HARDENING_METHODS;
/** The name the API, the CLI and job records use (pgd-at). */
export type HardeningMethodName = (typeof HARDENING_METHODS)[HardeningMethodKey]['value'];

export const HARDENING_METHOD_KEYS: readonly HardeningMethodKey[] = Object.freeze(Object.keys(HARDENING_METHODS) as HardeningMethodKey[]);
export const HARDENING_METHOD_NAMES: readonly HardeningMethodName[] = Object.freeze(HARDENING_METHOD_KEYS.map((k) => HARDENING_METHODS[k].value));

export function hardeningMethodByName(name: string): (HardeningMethodEntry & { readonly key: HardeningMethodKey; readonly value: HardeningMethodName }) | undefined {
  const key = HARDENING_METHOD_KEYS.find((k) => HARDENING_METHODS[k].value === name);
  return key === undefined ? undefined : { ...HARDENING_METHODS[key], key };
}

export function isHardeningMethodName(name: string): name is HardeningMethodName {
  return hardeningMethodByName(name) !== undefined;
}

/** false for unknown names: the caller rejects those with its own typed error. */
export function methodNeedsTeacher(name: string): boolean {
  return hardeningMethodByName(name)?.teacher ?? false;
}
