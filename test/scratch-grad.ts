import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
await tf.setBackend(process.argv[2] ?? 'wasm');
const idx = tf.tensor1d([0, 2], 'int32');
console.log(tf.getBackend(), Array.from(tf.oneHot(idx, 3, 1, 0, 'float32').dataSync()), Array.from(tf.oneHot(idx, 3).dataSync()), Array.from(tf.cast(tf.oneHot(idx, 3), 'float32').dataSync()));
