export { ArtifactStore, FileArtifactStore, artifactHash } from './artifact-store.ts';
export { DatabaseArtifactStore } from './database-artifact-store.ts';
export { StorageError, storageError } from './storage-error.ts';
export { discardUnreferenced, startArtifactSweeper, sweepArtifacts, type ArtifactGcOptions } from './artifact-gc.ts';
