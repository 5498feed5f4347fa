import type { ArtifactStore } from '../artifacts/artifact-store.ts';
import { DatabaseArtifactStore } from '../artifacts/database-artifact-store.ts';
import type { ServerConfig } from '../config.ts';
import type { EventHub } from '../jobs/event-hub.ts';
import type { JobScheduler } from '../jobs/scheduler.ts';
import { Store } from '../store/store.ts';
import { RedisEventHub } from './redis-event-hub.ts';
import { DistributedScheduler } from './scheduler.ts';

export interface DistributedPlatform {
  readonly store: Store;
  readonly artifacts: ArtifactStore;
  readonly hub: EventHub;
  readonly scheduler: JobScheduler;
}

/**
 * An API replica's implementations in distributed mode: the store on PostgreSQL, artifacts as rows
 * in it, the event hub over Redis pub/sub, jobs handed to BullMQ. The scheduler's stop() closes
 * the hub; the store is closed by its owner.
 */
export async function openDistributedPlatform(config: ServerConfig, o: { onQuery?: (sql: string) => void; log: (line: string) => void }): Promise<DistributedPlatform> {
  const d = config.distributed;
  if (!d) throw new Error('Internal: distributed mode without its configuration');
  const store = await Store.openPostgres(d.databaseUrl, { poolSize: d.dbPoolSize, onQuery: o.onQuery });
  const hub = new RedisEventHub({ store, redisUrl: d.redisUrl, prefix: d.queueName, log: (l) => o.log(`[temper events] ${l}`), name: 'temper api' });
  const scheduler = new DistributedScheduler({ store, hub, config: d, log: o.log });
  return { store, artifacts: new DatabaseArtifactStore(store.db), hub, scheduler };
}
