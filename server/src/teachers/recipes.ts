import type { HardeningMethodName } from '@temper/contracts';

/**
 * The robust teachers Temper ships: one recipe per built-in dataset and standard eps, each trained
 * from its seed by `npm run train:teachers` and committed under server/teachers/<id>/ with its
 * recipe, budget and evaluation report.
 *
 * Why these recipes (measured on a 2-core machine shared with other work, native TensorFlow, one
 * thread, batch 128; docs/teachers.md has the numbers): PGD-AT examples/s at eps 0.3 were cnn PGD-40
 * 21, cnn-wide PGD-40 8, cnn PGD-10 90, cnn-wide PGD-10 ~50. Madry's MNIST budget (100k steps of 50
 * PGD-40 examples, ~83 epochs) would take weeks here, so the teachers take the "fewer steps with a
 * larger step" variant: PGD-10 at step 2.5·eps/10 with a random start (the attack Madry's CIFAR
 * model trains with, scaled to eps), on cnn-wide (1.7M parameters, near Madry's 3.3M MNIST CNN:
 * robustness at eps 0.3 needs capacity), with eps ramped over the first epochs because a short run
 * at eps 0.3 from step 0 stalls at chance.
 */
export interface TeacherRecipe {
  /** Directory name under server/teachers/ and the built-in model's name. */
  readonly id: string;
  readonly dataset: string;
  /** Default: the dataset's own (published) split. */
  readonly split?: { readonly trainSize: number; readonly testSize: number };
  readonly eps: number;
  readonly architecture: string;
  readonly featureWidth?: number;
  readonly widthMultiplier?: number;
  readonly method: HardeningMethodName;
  readonly epochs: number;
  readonly batchSize: number;
  readonly seed: number;
  readonly params: Readonly<Record<string, unknown>>;
  /** Test examples the final standard-ensemble evaluation attacks (the first ones of the test set). */
  readonly evaluationSize: number;
  /** The robust accuracy the recipe is meant to reach, and against what. */
  readonly target: string;
  readonly why: string;
}

export const TEACHER_RECIPES: readonly TeacherRecipe[] = Object.freeze([
  {
    id: 'mnist-full-eps0.3-pgd-at-cnn-wide',
    dataset: 'mnist-full',
    eps: 0.3,
    architecture: 'cnn-wide',
    method: 'pgd-at',
    epochs: 15,
    batchSize: 128,
    seed: 0,
    params: { steps: 10, stepSize: 0.075, randomStart: true, epsWarmupEpochs: 2, optimizer: 'adam', lr: 1e-3, schedule: 'cosine', monitorSize: 500, monitorPgdSteps: 20 },
    evaluationSize: 1000,
    target: '>= 88% worst-case robust accuracy at eps 0.3 over the standard ensemble (Madry et al. report 89% against their strongest PGD; AutoAttack 88.5%)',
    why: 'The standard MNIST threat model: the teacher for RRM/IGAM/ARD/RSLAD students at eps 0.3.',
  },
  {
    id: 'mnist-full-eps0.1-pgd-at-cnn-wide',
    dataset: 'mnist-full',
    eps: 0.1,
    architecture: 'cnn-wide',
    method: 'pgd-at',
    epochs: 6,
    batchSize: 128,
    seed: 0,
    params: { steps: 10, stepSize: 0.025, randomStart: true, epsWarmupEpochs: 1, optimizer: 'adam', lr: 1e-3, schedule: 'cosine', monitorSize: 500, monitorPgdSteps: 20 },
    evaluationSize: 1000,
    target: '>= 95% worst-case robust accuracy at eps 0.1 over the standard ensemble',
    why: 'The smaller MNIST eps most papers also report; the teacher of quick distillation runs.',
  },
]);

export function teacherRecipe(id: string): TeacherRecipe | undefined {
  return TEACHER_RECIPES.find((r) => r.id === id);
}
