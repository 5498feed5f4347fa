/**
 * A job worker: a child process of the API server that runs one job at a time on the compute
 * backend, so training never blocks the API's event loop. It talks to its supervisor over IPC
 * only (protocol.ts) and exits when the supervisor goes away.
 */
import { isTemperError } from '@temper/edge';
import { ArtifactStore } from '../artifacts/artifact-store.ts';
import { computeBackend } from '../compute/backend.ts';
import type { JobRunContext } from './job-context.ts';
import type { FromWorker, JobSpec, ToWorker } from './protocol.ts';
import { RUNNERS } from './runners.ts';
/** Progress events closer together than this are dropped (the last step of an epoch is always sent). */
const PROGRESS_INTERVAL_MS = Number(process.env.TEMPER_PROGRESS_INTERVAL_MS ?? 250);

const dataDir = process.env.TEMPER_DATA_DIR!;
const artifacts = new ArtifactStore(dataDir);
const send = (m: FromWorker) => process.send?.(m);
const running = new Map<string, AbortController>();

process.on('disconnect', () => process.exit(0));

async function run(job: JobSpec): Promise<void> {
  const controller = new AbortController();
  running.set(job.id, controller);
  let lastProgress = 0;
  try {
    const backend = await computeBackend();
    const ctx: JobRunContext = {
      job,
      artifacts,
      dataDir,
      backend,
      signal: controller.signal,
      progress: (payload, force = false) => {
        const t = Date.now();
        if (!force && t - lastProgress < PROGRESS_INTERVAL_MS) return;
        lastProgress = t;
        send({ type: 'progress', jobId: job.id, payload });
      },
      log: (message) => send({ type: 'log', jobId: job.id, message }),
      config: (config) => send({ type: 'config', jobId: job.id, config: JSON.parse(JSON.stringify(config)) }),
      checkpointSaved: (epoch) => send({ type: 'checkpoint', jobId: job.id, epoch }),
    };
    const result = await RUNNERS[job.kind](ctx);
    send({ type: 'done', jobId: job.id, result });
  } catch (e) {
    const cancelled = controller.signal.aborted;
    // TemperError messages are written for users; anything else is logged here and reported generically.
    if (!isTemperError(e)) console.error(`[temper worker ${process.pid}] job ${job.id} failed:`, e);
    send({
      type: 'failed',
      jobId: job.id,
      cancelled,
      code: cancelled ? 'ABORTED' : isTemperError(e) ? e.code : 'INTERNAL',
      message: cancelled ? 'Cancelled.' : isTemperError(e) ? e.message : `Internal error in the worker (${e instanceof Error ? e.name : 'unknown'}); see the server log.`,
    });
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
