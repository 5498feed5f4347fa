import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../edge/src/util/random.ts';
import { linearClassifier } from '../edge/src/attacks/testing.ts';
import { logits } from '../edge/src/models/classifier.ts';
await tf.setBackend('wasm');
const B = 250, px = 784, h = 28, w = 28, c = 1, s = 25;
const xBest = new Float32Array(B * px).map(() => Math.random());
const lo = xBest.map((v) => v - 0.1), hi = xBest.map((v) => v + 0.1);
const buf = new Float32Array(B * px);
const rng = new Rng(1);
const cl = linearClassifier([28, 28, 1], 10, 1);
function build() {
  for (let j = 0; j < B; j++) {
    const src = j * px;
    buf.set(xBest.subarray(src, src + px), src);
    const vh = rng.int(h - s), vw = rng.int(w - s);
    for (let ch = 0; ch < c; ch++) {
      const step = 0.2 * rng.sign();
      for (let r = vh; r < vh + s; r++) for (let q = vw; q < vw + s; q++) {
        const k = (r * w + q) * c + ch; const v = xBest[src + k] + step;
        buf[src + k] = v < lo[src + k] ? lo[src + k] : v > hi[src + k] ? hi[src + k] : v;
      }
    }
  }
}
async function time(name: string, f: () => Promise<void> | void, n = 50) {
  for (let i = 0; i < 5; i++) await f();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await f();
  console.log(name, ((performance.now() - t0) / n).toFixed(3), 'ms');
}
await time('build', build);
await time('upload+dispose', async () => { const t = tf.tensor4d(buf, [B, h, w, c]); t.dispose(); });
await time('upload+forward+read', async () => { const t = tf.tensor4d(buf, [B, h, w, c]); const z = logits(cl, t); await z.data(); z.dispose(); t.dispose(); });
const xt = tf.tensor4d(buf, [B, h, w, c]);
await time('forward+read', async () => { const z = logits(cl, xt); await z.data(); z.dispose(); });
await time('nextFrame', async () => { await tf.nextFrame(); });
