import type { ConnectionOptions } from 'bullmq';
import { Redis } from 'ioredis';

/**
 * Connection options for BullMQ's Queue, QueueEvents and Worker: BullMQ opens (and closes) its own
 * connections from them and reports their errors as the object's 'error' event.
 */
export function bullConnection(url: string): ConnectionOptions {
  return { url, maxRetriesPerRequest: null, retryStrategy: (times: number) => Math.min(100 * times, 2000) };
}

/**
 * An ioredis connection as BullMQ and the pub/sub bridge need it: commands wait (no per-request
 * retry limit) while the connection is re-established, so a Redis restart delays work instead of
 * failing it. Connection errors are reported once per outage, not once per retry.
 */
export function redisConnection(url: string, name: string, log: (line: string) => void = () => {}): Redis {
  const redis = new Redis(url, {
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    connectionName: name.replace(/[^\w.:-]/g, '_'),
    retryStrategy: (times) => Math.min(100 * times, 2000),
  });
  let down = false;
  redis.on('error', (e: Error) => {
    if (!down) log(`redis (${name}): ${e.message}; reconnecting`);
    down = true;
  });
  redis.on('ready', () => {
    if (down) log(`redis (${name}): connected again`);
    down = false;
  });
  return redis;
}

/** Closes a connection without waiting on a server that may be gone. */
export async function closeRedis(redis: Redis): Promise<void> {
  try {
    if (redis.status === 'ready') await Promise.race([redis.quit(), new Promise((r) => setTimeout(r, 1000))]);
  } catch {
    // Already closing.
  }
  redis.disconnect();
}

/**
 * Makes the given commands' promises never reject unhandled: redis-event-target fires publish,
 * subscribe and unsubscribe without awaiting them, and a connection closed (or lost) with such a
 * command pending would otherwise end the process with an unhandled rejection.
 */
export function quietCommands(redis: Redis, commands: readonly ('publish' | 'subscribe' | 'unsubscribe')[]): Redis {
  for (const name of commands) {
    const original = (redis[name] as (...args: unknown[]) => Promise<unknown>).bind(redis);
    (redis as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
      const p = original(...args);
      p.catch(() => {});
      return p;
    };
  }
  return redis;
}
