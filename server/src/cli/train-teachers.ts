#!/usr/bin/env -S npx tsx
/**
 * npm run train:teachers [-- --only <id>] [--runs-dir DIR] [--out DIR]
 *
 * Trains Temper's robust teachers (server/src/teachers/recipes.ts) from their seeds on the compute
 * backend, one after the other. Each run checkpoints every epoch under --runs-dir/<id>/ and resumes
 * from there when started again (kill it at any time); a finished run is evaluated with the
 * standard ensemble and written to --out/<id>/ (default server/teachers/<id>/, where the server
 * picks it up as a built-in model). For long runs: TEMPER_THREADS=1 nice -n 10 nohup npm run ... &
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { isTemperError } from '@temper/edge';
import { computeBackend } from '../compute/backend.ts';
import { userPath } from '../config.ts';
import { TEACHER_RECIPES } from '../teachers/recipes.ts';
import { teachersDir } from '../teachers/builtin-teachers.ts';
import { trainTeacher } from '../teachers/train-teacher.ts';

const USAGE = `Usage: npm run train:teachers -- [--only ID[,ID]] [--runs-dir DIR (default artifacts/teacher-runs)] [--out DIR (default server/teachers)] [--list]
Teachers: ${TEACHER_RECIPES.map((r) => r.id).join(', ')}`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      only: { type: 'string' },
      'runs-dir': { type: 'string' },
      out: { type: 'string' },
      list: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) return void console.log(USAGE);
  if (values.list) {
    for (const r of TEACHER_RECIPES) console.log(`${r.id}: ${r.dataset} eps ${r.eps}, ${r.method} ${r.architecture}, ${r.epochs} epochs, ${JSON.stringify(r.params)}; target ${r.target}`);
    return;
  }
  const only = values.only?.split(',').map((s) => s.trim());
  const unknown = only?.filter((id) => !TEACHER_RECIPES.some((r) => r.id === id)) ?? [];
  if (unknown.length) throw new Error(`unknown teacher(s) ${unknown.join(', ')}\n${USAGE}`);
  const recipes = TEACHER_RECIPES.filter((r) => !only || only.includes(r.id));
  const runsDir = userPath(values['runs-dir'] ?? 'artifacts/teacher-runs');
  const outRoot = values.out ? userPath(values.out) : teachersDir();

  await computeBackend({ log: (l) => console.log(l) });
  const controller = new AbortController();
  process.once('SIGINT', () => {
    console.log('\n[temper] interrupted: the last finished epoch is checkpointed; run the same command to resume');
    controller.abort();
  });
  for (const recipe of recipes) {
    const outDir = join(outRoot, recipe.id);
    if (existsSync(join(outDir, 'report.json'))) {
      console.log(`[temper] ${recipe.id}: already trained and evaluated in ${outDir} (delete it to train again)`);
      continue;
    }
    console.log(`[temper] ${recipe.id}: ${recipe.method} ${recipe.architecture} on ${recipe.dataset} at eps ${recipe.eps}, ${recipe.epochs} epochs; checkpoints in ${join(runsDir, recipe.id)}`);
    const r = await trainTeacher(recipe, { runDir: join(runsDir, recipe.id), outDir, log: (l) => console.log(l), signal: controller.signal });
    console.log(`[temper] ${recipe.id}: clean ${(100 * r.cleanAccuracy).toFixed(1)}%, worst-case robust ${(100 * r.robustAccuracy).toFixed(1)}% at eps ${recipe.eps}; written to ${r.outDir}`);
  }
}

main().catch((e) => {
  console.error(isTemperError(e) ? `error [${e.code}]: ${e.message}` : `error: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = isTemperError(e) && e.code === 'ABORTED' ? 130 : 1;
});
