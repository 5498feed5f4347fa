import type { Store } from '../store/store.ts';
import type { ArtifactStore } from './artifact-store.ts';

/**
 * Discarding artifacts safely. A file may go only when no record of any owner references it
 * (store.artifact_refs, written in the same transaction as the record), and only when no writer
 * put the same bytes within the grace: a writer puts first and records its reference afterwards
 * (an upload in this process, a result model in a worker process that has no database), so a file
 * that looks unreferenced may be about to be referenced. Files kept for that reason, and files of
 * uploads that failed, are collected by the periodic sweep once their grace is over.
 */
export interface ArtifactGcOptions {
  readonly store: Store;
  readonly artifacts: ArtifactStore;
  /** TEMPER_ARTIFACT_GRACE_S: how long after its last write an unreferenced artifact is kept. */
  readonly graceMs: number;
  readonly log?: (line: string) => void;
}

/** Discards those of `hashes` that nothing references now and nobody wrote within the grace; returns how many went. */
export async function discardUnreferenced(o: ArtifactGcOptions, hashes: readonly string[]): Promise<number> {
  const unique = [...new Set(hashes)];
  if (unique.length === 0) return 0;
  const referenced = await o.store.referencedArtifacts(unique);
  let removed = 0;
  for (const h of unique) if (!referenced.has(h) && (await o.artifacts.discard(h, o.graceMs))) removed++;
  return removed;
}

/** One pass over every stored artifact: the unreferenced ones past their grace go. */
export async function sweepArtifacts(o: ArtifactGcOptions): Promise<{ stored: number; removed: number }> {
  const stored = await o.artifacts.storedHashes(o.graceMs);
  return { stored: stored.length, removed: await discardUnreferenced(o, stored) };
}

/** Sweeps now and then every `intervalMs` (unref'd: it never keeps the process alive); stop() ends it. */
export function startArtifactSweeper(o: ArtifactGcOptions, intervalMs: number): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  const run = () => {
    running = sweepArtifacts(o)
      .then((r) => r.removed > 0 && o.log?.(`artifact sweep: removed ${r.removed} of ${r.stored} unreferenced or stale artifacts`))
      .catch((e) => o.log?.(`artifact sweep failed: ${(e as Error).message}`));
  };
  run();
  const timer = setInterval(run, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
