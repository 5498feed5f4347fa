export { openDistributedPlatform, type DistributedPlatform } from './platform.ts';
export { DistributedScheduler } from './scheduler.ts';
export { RedisEventHub, type JobEventMessage } from './redis-event-hub.ts';
export { DatabaseCheckpointStore, LostJobError } from './checkpoint-store.ts';
