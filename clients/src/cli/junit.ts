import { num, pct } from './format.ts';
import type { GateCheck } from './gate.ts';
import type { EvaluationSummary, JobSummary } from './report.ts';

/**
 * JUnit XML for CI test-report viewers. `report --junit` writes one informational test case per
 * number; `gate --junit` writes one per threshold, failed ones with a <failure>.
 */

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

interface Case {
  readonly name: string;
  readonly out: string;
  readonly failure?: string;
}

export function junitXml(job: JobSummary | null, ev: EvaluationSummary | null, checks?: readonly GateCheck[]): string {
  const cases: Case[] = checks
    ? checks.map((c) => ({ name: c.name, out: c.detail, ...(c.passed ? {} : { failure: c.detail }) }))
    : ev
      ? [
          { name: 'clean accuracy', out: pct(ev.cleanAccuracy) },
          ...ev.points.map((p) => ({ name: `robust accuracy at eps ${num(p.eps)} (${ev.attacks.join(', ')})`, out: pct(p.robustAccuracy) })),
        ]
      : [];
  const failures = cases.filter((c) => c.failure !== undefined).length;
  const suiteName = `temper ${checks ? 'gate' : 'report'}: ${ev?.model.name ?? job?.resultModel?.name ?? job?.id ?? 'unknown'}`;
  const props: [string, string][] = [];
  if (job) props.push(['job', job.id], ['status', job.status]);
  if (ev) props.push(['evaluation', ev.id], ['model', ev.model.id ?? ''], ['modelSha256', ev.model.sha256 ?? ''], ['examples', String(ev.numExamples)], ['seed', String(ev.seed)], ['backend', ev.backend]);
  const flags = ev?.flags.map((f) => `${f.code}${f.eps !== null ? ` at eps ${num(f.eps)}` : ''}: ${f.message}`) ?? [];
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="temper" tests="${cases.length}" failures="${failures}" errors="0">`,
    `  <testsuite name="${esc(suiteName)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="0" timestamp="${new Date().toISOString()}">`,
    '    <properties>',
    ...props.map(([k, v]) => `      <property name="${esc(k)}" value="${esc(v)}"/>`),
    '    </properties>',
    ...cases.map((c) =>
      c.failure !== undefined
        ? `    <testcase classname="temper.robustness" name="${esc(c.name)}" time="0">\n      <failure message="${esc(c.failure)}" type="THRESHOLD">${esc(c.failure)}</failure>\n    </testcase>`
        : `    <testcase classname="temper.robustness" name="${esc(c.name)}" time="0">\n      <system-out>${esc(c.out)}</system-out>\n    </testcase>`,
    ),
    ...(flags.length ? [`    <system-out>${esc(flags.join('\n'))}</system-out>`] : []),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
