import { useEffect, useState } from 'preact/hooks';
import { operations as ops, type EvaluationFieldsFragment, type JobOrEvaluation, type TemperClient } from '@temper/clients';
import { junitXml, summarizeEvaluation, summarizeJob } from '@temper/clients/report';
import { epsFraction, FLAG_CATALOGUE, type FlagCode } from '@temper/edge/evaluation/catalogue';
import { LineChart } from '../chart.tsx';
import { downloadText } from '../download.ts';
import { pct } from '../format.ts';
import { Gallery } from '../gallery.tsx';
import { examplesByEps, settingsOf, stagesByEps } from '../report-data.ts';

const epsLabel = (eps: number) => `${Number(eps.toPrecision(4))}${epsFraction(eps) ? ` (${epsFraction(eps)})` : ''}`;

/** A robustness report: eps curve, each attack's share at each eps, flags, settings, gallery, downloads. */
export function Report({ client, id }: { client: TemperClient; id: string }) {
  const [node, setNode] = useState<JobOrEvaluation | null>(null);
  const [error, setError] = useState('');
  const [classNames, setClassNames] = useState<Record<string, readonly string[]>>({});
  useEffect(() => {
    void client.jobOrEvaluation(id).then(setNode, (e: Error) => setError(e.message));
    // The gallery names classes where the dataset has names (CIFAR-10's "cat", "dog"...).
    void client.request(ops.DatasetsPageQuery, { first: 200 }).then((d) => setClassNames(Object.fromEntries(d.viewer.datasets.edges.map((e) => [e.node.id, e.node.classNames ?? []]))), () => {});
  }, [id]);
  if (error) return <p class="error">{error}</p>;
  if (!node) return <p>Loading…</p>;
  const ev = (node.__typename === 'Evaluation' ? node : 'evaluation' in node ? node.evaluation : null) as EvaluationFieldsFragment | null | undefined;
  if (!ev) return <p data-testid="no-evaluation">This job has no evaluation ({node.__typename === 'Evaluation' ? '' : node.status}).</p>;
  const job = node.__typename === 'Evaluation' ? null : summarizeJob(node);
  const summary = summarizeEvaluation(ev);
  const stages = stagesByEps(ev);
  const base = `temper-report-${(ev.model?.name ?? ev.id).replace(/[^\w.-]+/g, '_')}`;
  return (
    <section data-testid="report">
      <h2>Report: {ev.model?.name ?? '(deleted model)'} on {ev.dataset?.name ?? '?'}</h2>
      <p>
        Clean accuracy <b data-testid="clean">{pct(ev.cleanAccuracy)}</b> on {ev.numExamples} test examples · attacks {summary.attacks.join(', ') || '–'} (worst case per example) · backend {ev.backend} · seed {ev.seed}
        {job && <> · <a href={`#/job/${encodeURIComponent(job.id)}`}>job</a></>}
      </p>
      <p>
        <button data-testid="download-json" onClick={() => downloadText(`${base}.json`, JSON.stringify(ev.report, null, 2), 'application/json')}>Download report JSON</button>{' '}
        <button data-testid="download-junit" onClick={() => downloadText(`${base}.xml`, junitXml(job, summary), 'application/xml')}>Download JUnit XML</button>
      </p>
      <div class="charts">
        <div data-testid="eps-chart">
          <LineChart title="robust accuracy vs eps" x="eps" series={['robust accuracy (worst case)', 'clean']} data={[ev.epsCurve.map((c) => c.eps), ev.epsCurve.map((c) => c.robustAccuracy), ev.epsCurve.map(() => ev.cleanAccuracy)]} />
        </div>
      </div>
      <h3>Each attack's share</h3>
      <table data-testid="stages">
        <thead><tr><th>eps</th><th>robust</th><th>attack</th><th>kind</th><th>attacked</th><th>fooled</th><th>robust after</th><th>queries (mean)</th><th>time</th></tr></thead>
        <tbody>
          {stages.flatMap((s) =>
            s.stages.length === 0
              ? [<tr key={`${s.eps}`}><td>{epsLabel(s.eps)}</td><td>{pct(s.robustAccuracy)}</td><td colSpan={7}>no stages recorded</td></tr>]
              : s.stages.map((st, i) => (
                  <tr key={`${s.eps}-${i}`}>
                    {i === 0 && <td rowSpan={s.stages.length}>{epsLabel(s.eps)}</td>}
                    {i === 0 && <td rowSpan={s.stages.length}><b>{pct(s.robustAccuracy)}</b></td>}
                    <td>{st.attack}</td><td>{st.kind}</td><td>{st.attacked}</td><td>{st.took}</td><td>{pct(st.robustAccuracyAfter)}</td>
                    <td>{st.queries ? st.queries.mean.toFixed(0) : '–'}</td><td>{(st.elapsedMs / 1000).toFixed(1)} s</td>
                  </tr>
                )),
          )}
        </tbody>
      </table>
      <h3>Flags</h3>
      {ev.flags.length === 0 ? (
        <p data-testid="no-flags">No flags: none of AutoAttack's checks or Temper's own found a reason to doubt these numbers.</p>
      ) : (
        <ul class="flags" data-testid="flags">
          {ev.flags.map((f, i) => {
            const known = FLAG_CATALOGUE[f.code as FlagCode];
            return (
              <li key={`${f.code}-${f.eps}-${i}`}>
                <b>{f.code}</b>{f.eps != null && ` at eps ${f.eps}`}: {known ? <>{known.meaning} <i>What to do:</i> {known.hint}</> : f.message}
                {known && <small class="detail"> ({f.message})</small>}
              </li>
            );
          })}
        </ul>
      )}
      <h3>Adversarial examples</h3>
      <Gallery sets={examplesByEps(ev)} className={(k) => classNames[ev.dataset?.id ?? '']?.[k] ?? String(k)} />
      <h3>Settings</h3>
      <table class="settings" data-testid="settings"><tbody>{settingsOf(ev).map(([k, v]) => <tr key={k}><th>{k}</th><td><code>{v}</code></td></tr>)}</tbody></table>
    </section>
  );
}
