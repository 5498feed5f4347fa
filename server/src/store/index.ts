export { Store, hashToken, type JobOutcome, type JobPatch, type NewDataset, type NewJob, type NewModel } from './store.ts';
export type { Database } from './tables.ts';
export type { SqlDialect } from './migrations/dialect.ts';
