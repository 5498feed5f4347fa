import * as tf from '@tensorflow/tfjs-core';
import { create, globals } from 'webgpu';
process.env.VK_ICD_FILENAMES = '/usr/lib/chromium/vk_swiftshader_icd.json';
Object.assign(globalThis, globals);
(globalThis as any).navigator = { gpu: create([]) };
await import('@tensorflow/tfjs-backend-webgpu');
await tf.setBackend('webgpu');
const a = tf.ones([10]);
for (const n of [1, 2, 3]) { const t = performance.now(); const b = tf.add(a, n); await b.data(); console.log('add+data ms', performance.now() - t); }
const m = tf.randomUniform([256, 256]);
for (const n of [1, 2, 3]) { const t = performance.now(); const b = tf.matMul(m, m); await b.data(); console.log('matmul256 ms', performance.now() - t); }
const x = tf.randomUniform([64, 28, 28, 1]); const f = tf.randomUniform([3,3,1,16]);
for (const n of [1, 2, 3]) { const t = performance.now(); const b = tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, 1, 'same'); await b.data(); console.log('conv1 ms', performance.now() - t); }
const x2 = tf.randomUniform([64, 28, 28, 16]); const f2 = tf.randomUniform([3,3,16,32]);
for (const n of [1, 2, 3]) { const t = performance.now(); const b = tf.conv2d(x2 as tf.Tensor4D, f2 as tf.Tensor4D, 2, 'same'); await b.data(); console.log('conv2 ms', performance.now() - t); }
process.exit(0);
