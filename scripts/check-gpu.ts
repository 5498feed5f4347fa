/**
 * npm run check:gpu [-- --model cnn-wide] [--batch 128] [--iterations 100] [--steps 5]
 *
 * Says whether TensorFlow (the tensorflow compute backend) sees a GPU, then times one training step
 * and one APGD-CE batch on whatever device it uses. On a GPU server run it after
 * `TEMPER_TF_WHEEL='tensorflow[and-cuda]==2.21.0' npm ci`; without a GPU it says so and times the CPU.
 * Exit code 0 when the tensorflow backend loads (GPU or not), 1 when it cannot (the reason is printed).
 */
import * as tf from '@tensorflow/tfjs-core';
import { createZooClassifier, crossEntropy, logits, Rng, subsetDataset, zooArchitectureNames } from '@temper/edge';
import { apgdCe, attackDataset } from '@temper/edge/attacks';
import { initComputeBackend, loadDataset } from '@temper/server';

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}
const model = flag('model', 'cnn-wide');
const batch = Number(flag('batch', '128'));
const iterations = Number(flag('iterations', '100'));
const steps = Number(flag('steps', '5'));
if (!zooArchitectureNames().includes(model)) throw new Error(`unknown zoo model ${model}`);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function main(): Promise<number> {
  let status = 0;
  try {
    const choice = await initComputeBackend({ forced: 'tensorflow' });
    const d = choice.details;
    console.log(
      d.gpu
        ? `GPU: yes, TensorFlow runs ops on a CUDA device (libtensorflow ${d.libtensorflow}).`
        : `GPU: none visible to TensorFlow (libtensorflow ${d.libtensorflow}, CPU build or no CUDA device/driver); timing the CPU with ${d.threads} threads.`,
    );
  } catch (e) {
    console.log(`GPU: unknown, the tensorflow backend does not load (${(e as Error).message}); timing the fallback backend instead.`);
    const choice = await initComputeBackend({ forced: '' });
    console.log(`fallback: ${choice.reason}`);
    status = 1;
  }
  const c = createZooClassifier(model, { inputShape: [28, 28, 1], numClasses: 10, seed: 0 });
  const vars = c.model.trainableWeights.map((w) => w.read() as tf.Variable);
  const opt = tf.train.adam(1e-3);
  const rng = new Rng(0);
  const x = tf.tensor4d(Float32Array.from({ length: batch * 784 }, () => rng.next()), [batch, 28, 28, 1]);
  const y = tf.tensor1d(Int32Array.from({ length: batch }, () => rng.int(10)), 'int32');
  const step = () => {
    const t = performance.now();
    const cost = opt.minimize(() => crossEntropy(logits(c, x, true), y), true, vars)!;
    cost.dataSync();
    cost.dispose();
    return performance.now() - t;
  };
  const first = step();
  const times = Array.from({ length: steps }, step);
  const ms = median(times);
  console.log(`${tf.getBackend()}: ${model} training step, batch ${batch}: ${ms.toFixed(1)} ms median of ${steps} (first step ${first.toFixed(0)} ms), ${((batch * 1000) / ms).toFixed(0)} examples/s`);
  tf.dispose([x, y]);
  opt.dispose();

  const data = await loadDataset('mnist', { trainSize: 100, testSize: batch, seed: 0 });
  const set = subsetDataset(data.test, Array.from({ length: Math.min(batch, data.test.count) }, (_, i) => i));
  const t = performance.now();
  await attackDataset(apgdCe, c, set, { eps: 0.3, iterations, restarts: 1 }, { batchSize: set.count, keepAdversarial: false, seed: 0 });
  const s = (performance.now() - t) / 1000;
  console.log(`${tf.getBackend()}: APGD-CE-${iterations} on one batch of ${set.count}: ${s.toFixed(2)} s, ${(set.count / s).toFixed(1)} examples/s`);
  c.model.dispose();
  return status;
}

process.exitCode = await main();
