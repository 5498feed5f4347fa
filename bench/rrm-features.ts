/**
 * npm run bench:rrm-features [-- --epochs 1 --noise 0.1 --eps 0.3]
 *
 * Issue 15, point 5: why RRM transfers no robustness at eps 0.3 on MNIST. Trains an RRM student
 * (cnn-wide, the shipped eps-0.3 teacher's architecture, Gaussian input noise --noise) on
 * mnist-full, then on the first 500 test images measures, with PGD-40 (step 0.01, random start) on
 * each model: each model's accuracy at its own and at the other's adversarial points, the cosine
 * between the student's and the teacher's features there, and how far each model's features move
 * (relative L2). Writes bench/results/rrm-features.json.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { parseArgs } from 'node:util';
import { createZooClassifier, type Classifier } from '@temper/edge';
import { attackDataset, pgd } from '@temper/edge/attacks';
import { featuresAndLogits, loadClassifier } from '@temper/edge/io';
import { computeBackend, loadDataset, readModelDir, runHardening } from '@temper/server';

const { values: a } = parseArgs({ options: { epochs: { type: 'string', default: '1' }, noise: { type: 'string', default: '0.1' }, eps: { type: 'string', default: '0.3' } }, strict: true });
const EPS = Number(a.eps);
await computeBackend({ log: console.log });
const data = await loadDataset('mnist-full', { trainSize: 60000, testSize: 10_000, seed: 0 });
const teacher = (await loadClassifier({ ...(await readModelDir('server/teachers/mnist-full-eps0.3-pgd-at-cnn-wide')), purpose: 'evaluate' })).classifier;
const out = await runHardening({ method: 'rrm', student: createZooClassifier('cnn-wide', { inputShape: [28, 28, 1], numClasses: 10, seed: 1 }), teacher, data, eps: EPS, epochs: Number(a.epochs), batchSize: 128, seed: 1, params: { monitorSize: 0, noiseStd: Number(a.noise) }, evaluation: { eps: [EPS], attacks: [{ attack: 'fgsm', config: {} }], sampleSize: 16 } }, { log: () => {} });
const student = out.student;
const n = 500;
const x = tf.tensor4d(data.test.images.subarray(0, n * 784), [n, 28, 28, 1]);
const y = tf.tensor1d(Array.from(data.test.labels.subarray(0, n)), 'int32');
// The project's PGD (edge/src/attacks), kept images: the fooling point where one was found, else the last iterate.
const indices = Int32Array.from({ length: n }, (_, i) => i);
async function pgd40(c: Classifier): Promise<tf.Tensor4D> {
  const r = await attackDataset(pgd, c, data.test, { eps: EPS, steps: 40, stepSize: 0.01, restarts: 1, randomStart: true }, { indices, seed: 7 });
  return tf.tensor4d(r.adversarial, [n, 28, 28, 1]);
}
const acc = (c: Classifier, xi: tf.Tensor4D) => tf.tidy(() => tf.mean(tf.cast(tf.equal(tf.argMax(featuresAndLogits(c, xi, false).logits, 1), y), 'float32')).dataSync()[0]);
const cos = (xi: tf.Tensor4D) =>
  tf.tidy(() => {
    const s = featuresAndLogits(student, xi, false).features as tf.Tensor2D;
    const t = featuresAndLogits(teacher, xi, false).features as tf.Tensor2D;
    return tf.mean(tf.div(tf.sum(tf.mul(s, t), 1), tf.mul(tf.norm(s, 'euclidean', 1), tf.norm(t, 'euclidean', 1)))).dataSync()[0];
  });
const move = (c: Classifier, xi: tf.Tensor4D) =>
  tf.tidy(() => {
    const z0 = featuresAndLogits(c, x, false).features as tf.Tensor2D;
    const z1 = featuresAndLogits(c, xi, false).features as tf.Tensor2D;
    return tf.mean(tf.div(tf.norm(tf.sub(z1, z0), 'euclidean', 1), tf.norm(z0, 'euclidean', 1))).dataSync()[0];
  });
const noisy = tf.tidy(() => tf.clipByValue(tf.add(x, tf.randomUniform(x.shape, -EPS, EPS, 'float32', 3)), 0, 1) as tf.Tensor4D);
const advS = await pgd40(student);
const advT = await pgd40(teacher);
const r = {
  config: { epochs: Number(a.epochs), noiseStd: Number(a.noise), eps: EPS },
  studentClean: acc(student, x), teacherClean: acc(teacher, x),
  studentAtOwnPgd40: acc(student, advS), teacherAtStudentsPgd40: acc(teacher, advS),
  teacherAtOwnPgd40: acc(teacher, advT), studentAtTeachersPgd40: acc(student, advT),
  cosClean: cos(x), cosUniformNoise: cos(noisy), cosAtStudentsPgd: cos(advS), cosAtTeachersPgd: cos(advT),
  studentFeatureMoveAtOwnPgd: move(student, advS), teacherFeatureMoveAtStudentsPgd: move(teacher, advS),
  teacherFeatureMoveAtOwnPgd: move(teacher, advT), studentFeatureMoveAtTeachersPgd: move(student, advT),
};
const result = { benchmark: 'rrm-features', at: new Date().toISOString(), backend: tf.getBackend(), tfjs: tf.version_core, seed: 1, teacher: 'server/teachers/mnist-full-eps0.3-pgd-at-cnn-wide', student: 'cnn-wide', testImages: n, attack: 'PGD-40 (edge/src/attacks/pgd.ts), step 0.01, random start, seed 7', trainSeconds: out.training.seconds, loadavg: os.loadavg()[0], ...r };
writeFileSync('bench/results/rrm-features.json', `${JSON.stringify(result, null, 2)}\n`);
console.log(JSON.stringify(result));
