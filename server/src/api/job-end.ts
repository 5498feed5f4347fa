import { isTerminalJobStatus, type JobEventRecord, type JobRecord } from '@temper/contracts';
import type { EventHub } from '../jobs/event-hub.ts';
import type { Store } from '../store/store.ts';

/** How often the store is looked at besides the live events (distributed mode's pub/sub may drop one). */
const POLL_MS = 1000;

/**
 * Waits until the job ends and returns it with its final STATUS event (whose payload carries the
 * run's summary), or null after `timeoutMs`. For requests whose answer is a worker's result (an
 * edge check's sample): the compute stays in the workers while the request waits.
 */
export function awaitJobEnd(store: Store, hub: EventHub, jobId: string, timeoutMs: number): Promise<{ job: JobRecord; event: JobEventRecord } | null> {
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (v: { job: JobRecord; event: JobEventRecord } | null, error?: unknown) => {
      if (done) return;
      done = true;
      unsubscribe();
      clearInterval(poll);
      clearTimeout(timer);
      if (error) reject(error);
      else resolve(v);
    };
    const unsubscribe = hub.onJob(jobId, (event, job) => {
      if (event.kind === 'STATUS' && isTerminalJobStatus(event.status)) finish({ job, event });
    });
    const check = async () => {
      const job = await store.jobById(jobId);
      if (!job || !isTerminalJobStatus(job.status)) return;
      const [event] = await store.jobEvents(jobId, job.lastSequence - 1, 1);
      if (event) finish({ job, event });
    };
    const poll = setInterval(() => void check().catch((e) => finish(null, e)), POLL_MS);
    const timer = setTimeout(() => finish(null), timeoutMs);
    void check().catch((e) => finish(null, e));
  });
}
