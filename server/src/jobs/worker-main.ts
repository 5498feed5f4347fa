/**
 * An embedded job worker: a child process of the API server that runs one job at a time on the
 * compute backend, so training never blocks the API's event loop. It talks to its supervisor over
 * IPC only (protocol.ts) - the supervisor's attempt (attempt.ts) writes the timeline and the
 * outcome - and exits when the supervisor goes away.
 */
import { ArtifactStore } from '../artifacts/artifact-store.ts';
import { computeBackend } from '../compute/backend.ts';
import { describeFailure, isUnexpectedFailure } from './attempt-errors.ts';
import type { FromWorker, JobSpec, ToWorker } from './protocol.ts';
import { runInProcess } from './run-in-process.ts';

const dataDir = process.env.TEMPER_DATA_DIR!;
const artifacts = new ArtifactStore(dataDir);
const send = (m: FromWorker) => process.send?.(m);
const running = new Map<string, AbortController>();

process.on('disconnect', () => process.exit(0));

async function run(job: JobSpec): Promise<void> {
  const controller = new AbortController();
  running.set(job.id, controller);
  try {
    const backend = await computeBackend();
    const sink = {
      progress: (payload: Extract<FromWorker, { type: 'progress' }>['payload']) => send({ type: 'progress', jobId: job.id, payload }),
      log: (message: string) => send({ type: 'log', jobId: job.id, message }),
      config: (config: Record<string, unknown>) => send({ type: 'config', jobId: job.id, config: JSON.parse(JSON.stringify(config)) }),
      checkpointSaved: (epoch: number) => send({ type: 'checkpoint', jobId: job.id, epoch }),
      teacherTrained: (teacher: Extract<FromWorker, { type: 'teacher' }>['teacher']) => send({ type: 'teacher', jobId: job.id, teacher: JSON.parse(JSON.stringify(teacher)) }),
    };
    const result = await runInProcess(job, sink, { artifacts, dataDir, backend, signal: controller.signal });
    send({ type: 'done', jobId: job.id, result });
  } catch (e) {
    const cancelled = controller.signal.aborted;
    if (isUnexpectedFailure(e, cancelled)) console.error(`[temper worker ${process.pid}] job ${job.id} failed:`, e);
    send({ type: 'failed', jobId: job.id, ...describeFailure(e, cancelled, 'server') });
  } finally {
    running.delete(job.id);
  }
}

process.on('message', (m: ToWorker) => {
  if (m.type === 'run') void run(m.job);
  else if (m.type === 'cancel') running.get(m.jobId)?.abort();
});

computeBackend()
  .then((b) => send({ type: 'ready', backend: b.backend, reason: b.reason, tfjsVersion: b.tfjsVersion, details: b.details }))
  .catch((e) => {
    console.error(`[temper worker ${process.pid}] no compute backend:`, e);
    process.exit(3);
  });
