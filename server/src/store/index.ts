export { Store, hashToken, type NewDataset, type NewJob, type NewModel } from './store.ts';
export type { Database } from './tables.ts';
