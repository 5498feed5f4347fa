import { appendFile } from 'node:fs/promises';
import { epsLabel, pct } from './format.ts';
import type { GateResult } from './gate.ts';
import { noEvaluationLine, type EvaluationSummary, type JobSummary } from './report.ts';
import { shortId } from './short-id.ts';

/**
 * GitHub Actions output: a markdown table appended to $GITHUB_STEP_SUMMARY (the run's summary page)
 * and `::error::` workflow commands (annotations on the run) for every failed gate check. The runner
 * reads workflow commands from stderr as well as stdout; they go to stderr so that stdout keeps
 * carrying only the result (`--json` stays parseable).
 */

/** --github, or automatically inside a GitHub Actions job. */
export function githubMode(flag: boolean | undefined, env: Readonly<Record<string, string | undefined>>): boolean {
  return flag === true || env['GITHUB_ACTIONS'] === 'true';
}

/** A workflow command's message: %, CR and LF are its escapes (GitHub's toCommandValue). */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function errorCommand(title: string, message: string): string {
  return `::error title=${escapeProperty(title)}::${escapeData(message)}`;
}

/** A markdown table cell: pipes and line breaks would end the cell or the row. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function row(cells: readonly string[]): string {
  return `| ${cells.map(cell).join(' | ')} |`;
}

/** The step summary for a report (and the gate's checks, when gating). */
export function markdownSummary(job: JobSummary | null, ev: EvaluationSummary | null, gate?: GateResult): string {
  const out: string[] = [];
  const model = job?.resultModel?.name ?? ev?.model.name ?? null;
  const title = gate ? `Temper gate ${gate.passed ? 'passed' : 'failed'}` : 'Temper robustness report';
  out.push(`### ${gate ? (gate.passed ? '✅ ' : '❌ ') : ''}${title}${model ? `: ${cell(model)}` : ''}`, '');
  if (job) out.push(`Job \`${shortId(job.id)}\` (${job.kind}${job.method ? ` ${job.method}` : ''}): **${job.status}**${job.error ? ` (${cell(`${job.error.code}: ${job.error.message}`)})` : ''}`, '');
  if (!ev) {
    out.push(noEvaluationLine(job), '');
    return out.join('\n');
  }
  out.push(`${ev.dataset ?? 'dataset ?'}, ${ev.numExamples} test examples, seed ${ev.seed}, backend ${ev.backend}; attacks ${ev.attacks.join(', ') || '-'} (worst case per example). Clean accuracy **${pct(ev.cleanAccuracy)}**.`, '');
  out.push(row(['eps', 'robust accuracy', ...ev.attacks.map((a) => `after ${a}`)]));
  out.push(row(['---:', '---:', ...ev.attacks.map(() => '---:')]));
  for (const p of ev.points) out.push(row([epsLabel(p.eps), `**${pct(p.robustAccuracy)}**`, ...ev.attacks.map((_, i) => pct(p.stages[i]?.robustAccuracyAfter))]));
  out.push('');
  if (gate) {
    out.push(row(['check', 'result', 'detail']), row(['---', '---', '---']));
    for (const c of gate.checks) out.push(row([c.name, c.passed ? '✅ pass' : '❌ fail', c.detail]));
    out.push('');
  }
  for (const f of ev.flags) out.push(`> ⚠️ ${cell(`${f.code}${f.eps !== null ? ` at eps ${epsLabel(f.eps)}` : ''}: ${f.message}`)}`, '');
  return out.join('\n');
}

/** Annotations: one `::error::` per failed gate check, or for a job that failed. */
export function errorCommands(job: JobSummary | null, gate?: GateResult): string[] {
  const lines: string[] = [];
  if (job && (job.status === 'FAILED' || job.status === 'CANCELLED')) {
    lines.push(errorCommand('Temper job', `job ${job.id} ${job.status === 'FAILED' ? `failed${job.error ? `: ${job.error.code}: ${job.error.message}` : ''}` : 'was cancelled'}`));
  }
  for (const c of gate?.checks ?? []) if (!c.passed) lines.push(errorCommand('Temper gate', c.detail));
  return lines;
}

/** Appends to $GITHUB_STEP_SUMMARY; false when the variable is unset (not on a runner). */
export async function appendStepSummary(env: Readonly<Record<string, string | undefined>>, markdown: string): Promise<boolean> {
  const path = env['GITHUB_STEP_SUMMARY'];
  if (!path) return false;
  await appendFile(path, markdown.endsWith('\n') ? markdown : `${markdown}\n`);
  return true;
}
