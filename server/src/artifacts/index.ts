export { ArtifactStore } from './artifact-store.ts';
