import type { JobEventRecord, JobRecord } from '@temper/contracts';

type Listener = (event: JobEventRecord, job: JobRecord) => void;

/**
 * In-process fan-out of stored job events to subscriptions, by job and by owner. Distributed mode
 * subclasses it (RedisEventHub): publish() goes out through Redis and comes back to every replica.
 */
export class EventHub {
  private readonly byJob = new Map<string, Set<Listener>>();
  private readonly byOwner = new Map<string, Set<Listener>>();

  private static add(map: Map<string, Set<Listener>>, key: string, fn: Listener): () => void {
    let set = map.get(key);
    if (!set) map.set(key, (set = new Set()));
    set.add(fn);
    return () => {
      set!.delete(fn);
      if (set!.size === 0) map.delete(key);
    };
  }

  onJob(jobId: string, fn: Listener): () => void {
    return EventHub.add(this.byJob, jobId, fn);
  }

  onOwner(ownerId: string, fn: Listener): () => void {
    return EventHub.add(this.byOwner, ownerId, fn);
  }

  publish(event: JobEventRecord, job: JobRecord): void {
    this.deliverToJob(event, job);
    this.deliverToOwner(event, job);
  }

  protected deliverToJob(event: JobEventRecord, job: JobRecord): void {
    for (const fn of this.byJob.get(job.id) ?? []) fn(event, job);
  }

  protected deliverToOwner(event: JobEventRecord, job: JobRecord): void {
    for (const fn of this.byOwner.get(job.ownerId) ?? []) fn(event, job);
  }

  /** Releases what the hub holds (connections, timers); the in-process hub holds nothing. */
  async close(): Promise<void> {}
}
