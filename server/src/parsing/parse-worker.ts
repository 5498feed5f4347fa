import { parentPort } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { runParseTask, type ParseTask } from './parse-tasks.ts';
import { serializeError } from './remote-error.ts';

/**
 * The parse pool's thread (parse-pool.ts): checks uploads one at a time, off the API's event loop.
 * Building a model needs only the cpu backend; the thread's heap is capped by the pool, and a task
 * that runs too long ends with the thread, so nothing here needs a budget of its own.
 */
await tf.setBackend('cpu');
const port = parentPort!;
port.on('message', async (m: { id: number; task: ParseTask }) => {
  try {
    const value = await runParseTask(m.task);
    port.postMessage({ id: m.id, ok: true, value });
  } catch (e) {
    port.postMessage({ id: m.id, ok: false, error: serializeError(e) });
  }
});
port.postMessage({ ready: true });
