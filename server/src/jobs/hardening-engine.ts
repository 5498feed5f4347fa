import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { RunHardening } from '../hardening/contract.ts';

/**
 * The hardening engine is built beside this code (server/src/hardening/index.ts exports
 * `runHardening`, coded against contract.ts). It is imported by a computed specifier, so the job
 * layer typechecks and runs - evaluation and zoo jobs included - in a build without it.
 */
const ENGINE = '../hardening/index.ts';

export function hardeningEngineInstalled(): boolean {
  return existsSync(fileURLToPath(new URL(ENGINE, import.meta.url)));
}

export async function loadRunHardening(): Promise<RunHardening | null> {
  if (!hardeningEngineInstalled()) return null;
  const mod = (await import(/* @vite-ignore */ ENGINE)) as { runHardening?: RunHardening };
  return typeof mod.runHardening === 'function' ? mod.runHardening : null;
}
