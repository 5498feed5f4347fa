import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { createPubSub, type PubSub } from '@graphql-yoga/subscription';
import { TERMINAL_JOB_STATUSES, type JobEventRecord, type JobRecord } from '@temper/contracts';
import type { Redis } from 'ioredis';
import { EventHub } from '../jobs/event-hub.ts';
import type { Store } from '../store/store.ts';
import { closeRedis, quietCommands, redisConnection } from './redis.ts';

export interface JobEventMessage {
  readonly event: JobEventRecord;
  readonly job: JobRecord;
}

type Topics = { [topic: string]: [id: string, message: unknown] };

export interface RedisEventHubOptions {
  readonly redisUrl: string;
  /** Channel prefix (TEMPER_QUEUE): deployments sharing a Redis do not hear each other. */
  readonly prefix: string;
  /** For the catch-up poll of followed jobs; a publish-only hub (a worker) needs none. */
  readonly store?: Store;
  /** How often followed jobs are checked against the store for events the bus lost (default 1000 ms). */
  readonly pollMs?: number;
  readonly log?: (line: string) => void;
  readonly name?: string;
}

const TERMINAL = new Set<string>(TERMINAL_JOB_STATUSES);

/**
 * The event hub across processes (distributed mode): yoga's pubsub over
 * `@graphql-yoga/redis-event-target`, one channel per job and one per owner, so whichever API
 * replica holds a subscription hears the events that a worker or another replica stored.
 *
 * Redis pub/sub is at-most-once (a Redis restart drops what is in flight), and the store is the
 * timeline: events are stored before they are published, subscriptions fill any gap in sequence
 * numbers from the store, and this hub looks at the store every `pollMs` for followed jobs whose
 * newest event it has not seen (it delivers that one; the subscription reads what lies between).
 */
export class RedisEventHub extends EventHub {
  readonly pubsub: PubSub<Topics>;
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly jobs = new Map<string, { count: number; seen: number; stop: () => void }>();
  private readonly owners = new Map<string, { count: number; stop: () => void }>();
  /** Per job, the newest sequence delivered to owner listeners (the two channels may both carry it). */
  private readonly ownerSeen = new Map<string, number>();
  private readonly cancelListeners = new Set<(jobId: string) => void>();
  private stopCancel: (() => void) | null = null;
  private timer: NodeJS.Timeout | null = null;
  private polling = false;

  constructor(private readonly o: RedisEventHubOptions) {
    super();
    const log = o.log ?? (() => {});
    this.publisher = quietCommands(redisConnection(o.redisUrl, `${o.name ?? 'temper'} pub`, log), ['publish']);
    this.subscriber = quietCommands(redisConnection(o.redisUrl, `${o.name ?? 'temper'} sub`, log), ['subscribe', 'unsubscribe']);
    this.pubsub = createPubSub<Topics>({ eventTarget: createRedisEventTarget({ publishClient: this.publisher, subscribeClient: this.subscriber }) });
    if (o.store) {
      this.timer = setInterval(() => void this.poll(), o.pollMs ?? 1000);
      this.timer.unref();
    }
  }

  private topic(kind: 'job' | 'owner' | 'cancel'): string {
    return `${this.o.prefix}:${kind}`;
  }

  /** Stored events go to Redis; every replica (this one included) delivers them when they come back. */
  override publish(event: JobEventRecord, job: JobRecord): void {
    const message: JobEventMessage = { event, job };
    this.pubsub.publish(this.topic('job'), job.id, message);
    this.pubsub.publish(this.topic('owner'), job.ownerId, message);
  }

  override onJob(jobId: string, fn: (event: JobEventRecord, job: JobRecord) => void): () => void {
    const off = super.onJob(jobId, fn);
    return this.retain(this.jobs, jobId, off, () => ({ count: 0, seen: 0, stop: this.follow(this.topic('job'), jobId, (m) => this.toJob(m.event, m.job)) }));
  }

  override onOwner(ownerId: string, fn: (event: JobEventRecord, job: JobRecord) => void): () => void {
    const off = super.onOwner(ownerId, fn);
    return this.retain(this.owners, ownerId, off, () => ({ count: 0, stop: this.follow(this.topic('owner'), ownerId, (m) => this.toOwner(m.event, m.job)) }));
  }

  /**
   * One bus subscription per followed key, shared by every local listener of it: the first
   * listener starts it, the last one to leave stops it. The returned release is idempotent.
   */
  private retain<W extends { count: number; stop: () => void }>(watches: Map<string, W>, key: string, off: () => void, start: () => W): () => void {
    let w = watches.get(key);
    if (!w) watches.set(key, (w = start()));
    const watch = w;
    watch.count++;
    let released = false;
    return () => {
      off();
      if (released) return;
      released = true;
      if (--watch.count === 0) {
        watch.stop();
        watches.delete(key);
      }
    };
  }

  /** Asks the worker running the job (whichever it is) to stop at its next step. */
  publishCancel(jobId: string): void {
    this.pubsub.publish(this.topic('cancel'), 'all', { jobId });
  }

  onCancel(fn: (jobId: string) => void): () => void {
    this.cancelListeners.add(fn);
    this.stopCancel ??= this.follow(this.topic('cancel'), 'all', (m) => {
      for (const l of this.cancelListeners) l((m as unknown as { jobId: string }).jobId);
    });
    return () => this.cancelListeners.delete(fn);
  }

  private follow(topic: string, id: string, onMessage: (m: JobEventMessage) => void): () => void {
    const it = this.pubsub.subscribe(topic, id);
    void (async () => {
      try {
        for await (const m of it) {
          try {
            onMessage(m as JobEventMessage);
          } catch (e) {
            this.o.log?.(`event delivery failed: ${e instanceof Error ? e.stack : String(e)}`);
          }
        }
      } catch (e) {
        this.o.log?.(`subscription to ${topic}:${id} ended: ${e instanceof Error ? e.message : String(e)}`);
      }
    })();
    return () => void it.return();
  }

  private toJob(event: JobEventRecord, job: JobRecord): void {
    const w = this.jobs.get(job.id);
    if (w && event.sequence > w.seen) w.seen = event.sequence;
    this.deliverToJob(event, job);
  }

  private toOwner(event: JobEventRecord, job: JobRecord): void {
    const seen = this.ownerSeen.get(job.id) ?? 0;
    if (event.sequence <= seen) return;
    if (TERMINAL.has(event.status) && event.kind === 'STATUS') this.ownerSeen.delete(job.id);
    else this.ownerSeen.set(job.id, event.sequence);
    this.deliverToOwner(event, job);
  }

  /** Followed jobs whose newest stored event this hub has not delivered: deliver it (listeners fill the rest). */
  private async poll(): Promise<void> {
    const store = this.o.store;
    if (!store || this.polling || this.jobs.size === 0) return;
    this.polling = true;
    try {
      const ids = [...this.jobs.keys()];
      const rows = await store.db.selectFrom('jobs').select(['id', 'last_sequence']).where('id', 'in', ids).execute();
      for (const r of rows) {
        const w = this.jobs.get(r.id);
        if (!w || r.last_sequence <= w.seen) continue;
        const [event] = await store.jobEvents(r.id, r.last_sequence - 1, 1);
        const job = await store.jobById(r.id);
        if (event && job) this.toJob(event, { ...job, status: event.status });
      }
    } catch (e) {
      this.o.log?.(`event catch-up poll failed: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      this.polling = false;
    }
  }

  override async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    for (const w of this.jobs.values()) w.stop();
    for (const w of this.owners.values()) w.stop();
    this.stopCancel?.();
    this.jobs.clear();
    this.owners.clear();
    // The subscriptions' cleanups (UNSUBSCRIBE) run on their next turn: let them go out before QUIT.
    await new Promise((r) => setTimeout(r, 10));
    await Promise.all([closeRedis(this.publisher), closeRedis(this.subscriber)]);
  }
}
