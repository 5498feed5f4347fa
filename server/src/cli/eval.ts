#!/usr/bin/env -S npx tsx
/**
 * npm run eval -- --model <dir> --dataset mnist --eps 0.1,0.2,0.3 --attacks standard
 *
 * Loads a tfjs layers model from a directory (model.json + shards), evaluates it on the held-out
 * split with the given attacks at every eps, prints a table and writes the report JSON.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { getAttack } from '@temper/edge/attacks';
import { subsetDataset, isTemperError } from '@temper/edge';
import { type AttackSpec, type AutoAttackVersion, evaluateRobustness, isAutoAttackVersion, parseEps as parseOneEps, type RobustnessReport } from '@temper/edge/evaluation';
import { loadClassifier } from '@temper/edge/io';
import type { Classifier } from '@temper/edge';
import { computeBackend } from '../compute/backend.ts';
import { DEFAULT_SPLIT_SEED, loadDataset } from '../datasets/index.ts';
import { readModelDir } from '../models/model-dir.ts';
import { userPath } from '../config.ts';
import { formatDuration } from './format.ts';
import { evaluationEnvironment } from '../compute/environment.ts';

const USAGE = `Usage: npm run eval -- --model <dir> [--dataset mnist] [--eps 0.1,0.2,0.3 | 2/255,8/255]
  [--attacks standard | plus | rand | fgsm,pgd,apgd-ce,apgd-dlr,apgd-t,fab,fab-t,square,transfer] [--surrogate <dir>]...
  [--n 1000] [--seed 0] [--batch-size 250] [--preprocessing unit|byte|'{"kind":"meanStd",...}'] [--out report.json]`;

/** Comma-separated radii in [0,1], each a decimal or a fraction such as 8/255. */
function parseEps(text: string): number[] {
  const eps = text.split(',').map(parseOneEps);
  if (eps.length === 0 || eps.some((e) => !Number.isFinite(e) || e < 0 || e > 1)) {
    throw new Error(`--eps must be a comma-separated list of numbers in [0,1] or fractions such as 8/255, got "${text}"`);
  }
  return eps;
}

function parsePreprocessing(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  if (text === 'unit' || text === 'byte') return { kind: text };
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`--preprocessing must be unit, byte or a JSON object, got "${text}"`);
  }
}

async function loadModel(dir: string, preprocessing: unknown, expect: { inputShape: [number, number, number]; numClasses: number }) {
  // Relative to where the user ran `npm run eval`, not to the repository root npm runs it from.
  return loadClassifier({ ...(await readModelDir(userPath(dir))), preprocessing, expect, purpose: 'evaluate' });
}

export function formatReportTable(report: RobustnessReport): string {
  const attackNames = report.attacks.map((a) => a.attack);
  const header = ['eps', ...attackNames.map((a) => `after ${a}`), 'robust (worst case)'];
  const rows = report.results.map((r) => [
    r.epsFraction ? `${r.eps.toFixed(4)} (${r.epsFraction})` : r.eps.toString(),
    ...r.attacks.map((s) => `${(100 * s.robustAccuracyAfter).toFixed(2)}% (-${s.took})`),
    `${(100 * r.robustAccuracy).toFixed(2)}%`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
  const lines = [
    `clean accuracy ${(100 * report.cleanAccuracy).toFixed(2)}% on ${report.numExamples} examples (seed ${report.seed}, ${report.backend}, tfjs ${report.tfjsVersion}, AutoAttack ${report.autoAttack.version})`,
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
  ];
  for (const f of report.flags) lines.push(`FLAG ${f.code}: ${f.message}${f.hint ? ` Hint: ${f.hint}` : ''}`);
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      model: { type: 'string' },
      dataset: { type: 'string', default: 'mnist' },
      eps: { type: 'string', default: '0.1,0.2,0.3' },
      attacks: { type: 'string', default: 'standard' },
      surrogate: { type: 'string', multiple: true },
      n: { type: 'string', default: '1000' },
      seed: { type: 'string', default: '0' },
      'batch-size': { type: 'string', default: '250' },
      preprocessing: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) return void console.log(USAGE);
  if (!values.model) throw new Error(`--model is required\n${USAGE}`);
  const eps = parseEps(values.eps!);
  const n = Number(values.n);
  const seed = Number(values.seed);
  const batchSize = Number(values['batch-size']);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--n must be a positive integer, got "${values.n}"`);
  if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer, got "${values.seed}"`);

  await computeBackend({ log: (l) => console.log(l) });
  const data = await loadDataset(values.dataset!);
  const test = subsetDataset(data.test, Array.from({ length: Math.min(n, data.test.count) }, (_, i) => i), data.test.name);
  const shape = { inputShape: [test.height, test.width, test.channels] as [number, number, number], numClasses: test.numClasses };
  const preprocessing = parsePreprocessing(values.preprocessing);
  const { classifier, info } = await loadModel(values.model, preprocessing, shape);
  for (const w of info.warnings) console.log(`[temper] warning: ${w}`);
  console.log(`[temper] model ${values.model}: ${info.className}, ${info.parameterCount} parameters, sha256 ${info.sha256.slice(0, 12)}…, ${info.outputsWereSoftmax ? 'softmax outputs (logits derived)' : 'logits'}`);

  let attacks: AutoAttackVersion | AttackSpec[] = 'standard';
  if (isAutoAttackVersion(values.attacks)) attacks = values.attacks;
  else {
    const surrogates: { name: string; classifier: Classifier }[] = [];
    for (const dir of values.surrogate ?? []) surrogates.push({ name: dir, classifier: (await loadModel(dir, undefined, shape)).classifier });
    attacks = values.attacks!.split(',').map((name) => {
      const attack = getAttack(name.trim());
      if (attack.name === 'transfer') {
        if (surrogates.length === 0) throw new Error('--attacks transfer needs at least one --surrogate <model dir>');
        return { attack, config: { surrogates } };
      }
      return { attack };
    });
  }
  let lastLine = 0;
  const started = performance.now();
  const { report } = await evaluateRobustness(classifier, test, {
    eps,
    attacks,
    modelSha256: info.sha256,
    seed,
    batchSize,
    datasetSplit: { dataset: values.dataset!, split: 'test', splitSeed: DEFAULT_SPLIT_SEED, firstExamples: test.count },
    environment: evaluationEnvironment(),
    onProgress: (p) => {
      const now = performance.now();
      if (now - lastLine < 2000) return;
      lastLine = now;
      const where = p.phase === 'attack' ? `eps ${p.eps} ${p.attack} (${(p.attackIndex ?? 0) + 1}/${p.attackCount})` : p.phase;
      const done = p.attackProgress ? ` ${p.attackProgress.samplesDone}/${p.attackProgress.samplesTotal}` : '';
      console.log(`[temper] ${formatDuration((now - started) / 1000)} ${where}${done}`);
    },
  });
  console.log(formatReportTable(report));
  const out = userPath(values.out ?? join(values.model, `report-${typeof attacks === 'string' ? attacks : 'custom'}-seed${seed}.json`));
  await writeFile(out, JSON.stringify(report, null, 2));
  console.log(`[temper] wrote ${out} (${formatDuration(report.elapsedMs / 1000)})`);
}

main().catch((e) => {
  console.error(isTemperError(e) ? `error [${e.code}]: ${e.message}` : `error: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
});
