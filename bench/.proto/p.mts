import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { create, globals } from 'webgpu';
import { createZooClassifier } from '../../edge/src/zoo/index.ts';
import { logits } from '../../edge/src/models/classifier.ts';
process.env.VK_ICD_FILENAMES = '/usr/lib/chromium/vk_swiftshader_icd.json';
Object.assign(globalThis, globals);
(globalThis as any).navigator = { gpu: create([]) };
const t0 = performance.now();
const wg = await import('@tensorflow/tfjs-backend-webgpu');
console.log('version', wg.version_webgpu);
await tf.setBackend('cpu');
const c = createZooClassifier('cnn', { inputShape: [28, 28, 1], numClasses: 10, seed: 1 });
const x = tf.randomUniform([64, 28, 28, 1], 0, 1, 'float32', 3);
const zc = await logits(c, x).data();
console.log('setBackend webgpu', await tf.setBackend('webgpu'), performance.now() - t0);
const b: any = tf.backend();
console.log('adapterInfo', b.adapterInfo);
let t = performance.now();
const zg = await logits(c, x).data();
console.log('first fwd ms', performance.now() - t);
let md = 0; for (let i = 0; i < zc.length; i++) md = Math.max(md, Math.abs(zc[i] - zg[i]));
console.log('maxdiff', md);
t = performance.now();
for (let i = 0; i < 10; i++) { const z = logits(c, x); await z.data(); z.dispose(); }
console.log('fwd ms/batch64', (performance.now() - t) / 10);
const x1 = x.slice([0,0,0,0],[1,28,28,1]);
t = performance.now();
for (let i = 0; i < 20; i++) { const z = logits(c, x1); await z.data(); z.dispose(); }
console.log('fwd ms/batch1', (performance.now() - t) / 20);
// gradient
t = performance.now();
const g = tf.grad((xx: tf.Tensor) => logits(c, xx).sum())(x);
await g.data();
console.log('grad ms', performance.now() - t);
console.log(tf.memory());
process.exit(0);
