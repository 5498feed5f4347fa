import { useEffect, useState } from 'preact/hooks';
import { operations as ops, type RunsQuery, type TemperClient } from '@temper/clients';
import { LineChart } from '../chart.tsx';
import { duration, epsLabel, pct, secondsBetween } from '../format.ts';

type Job = Extract<RunsQuery['viewer']['jobs']['edges'][number]['node'], { __typename: 'HardeningJob' }>;

interface Row {
  readonly id: string;
  readonly name: string;
  readonly method: string;
  readonly params: string;
  readonly eps: number;
  readonly datasetId: string;
  readonly dataset: string;
  readonly seconds: number | null;
  readonly clean: number;
  readonly curve: readonly { eps: number; robustAccuracy: number }[];
}

const toRow = (j: Job): Row => ({
  id: j.id,
  name: j.resultModel?.name ?? j.id,
  method: j.method,
  params: j.params && Object.keys(j.params as object).length ? JSON.stringify(j.params) : 'defaults',
  eps: j.eps,
  datasetId: j.dataset?.id ?? '',
  dataset: j.dataset?.name ?? '',
  seconds: secondsBetween(j.startedAt, j.finishedAt),
  clean: j.evaluation!.cleanAccuracy,
  curve: j.evaluation!.epsCurve,
});

/** Hardened models side by side (the paper-style table, live): finished hardening runs of one dataset. */
export function Compare({ client }: { client: TemperClient }) {
  const [rows, setRows] = useState<Row[]>([]);
  const [dataset, setDataset] = useState('');
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const [error, setError] = useState('');
  useEffect(() => {
    const load = () =>
      client.request(ops.RunsQuery, { first: 200, status: ['SUCCEEDED'], kind: ['HARDEN'] }).then(
        (d) => setRows(d.viewer.jobs.edges.map((e) => e.node).filter((j): j is Job => j.__typename === 'HardeningJob' && !!j.evaluation).map(toRow)),
        (e: Error) => setError(e.message),
      );
    void load();
    // New runs finish while the page is open.
    const t = setInterval(load, 5000);
    return () => clearInterval(t);
  }, []);
  const datasets = [...new Map(rows.map((r) => [r.datasetId, r.dataset])).entries()];
  const current = dataset || datasets[0]?.[0] || '';
  const shown = rows.filter((r) => r.datasetId === current);
  const chosen = shown.filter((r) => picked.has(r.id));
  const eps = [...new Set((chosen.length ? chosen : shown).flatMap((r) => r.curve.map((c) => c.eps)))].sort((a, b) => a - b);
  const toggle = (id: string) => setPicked((s) => (s.has(id) ? new Set([...s].filter((x) => x !== id)) : new Set([...s, id])));
  const at = (r: Row, e: number) => r.curve.find((c) => Math.abs(c.eps - e) < 1e-9)?.robustAccuracy ?? NaN;
  return (
    <section>
      <h2>Compare</h2>
      {error && <p class="error">{error}</p>}
      <p>
        Dataset{' '}
        <select data-testid="compare-dataset" value={current} onChange={(e) => (setDataset((e.target as HTMLSelectElement).value), setPicked(new Set()))}>
          {datasets.map(([id, name]) => <option key={id} value={id}>{name}</option>)}
        </select>{' '}
        · tick runs to chart them.
      </p>
      <table data-testid="compare">
        <thead><tr><th /><th>model</th><th>method</th><th>parameters</th><th>train eps</th><th>training</th><th>clean</th>{eps.map((e) => <th key={e}>robust @ {epsLabel(e)}</th>)}</tr></thead>
        <tbody>
          {shown.map((r) => (
            <tr key={r.id}>
              <td><input type="checkbox" checked={picked.has(r.id)} onChange={() => toggle(r.id)} /></td>
              <td><a href={`#/report/${encodeURIComponent(r.id)}`}>{r.name}</a></td><td>{r.method}</td><td><code>{r.params}</code></td><td>{epsLabel(r.eps)}</td><td>{duration(r.seconds)}</td><td>{pct(r.clean)}</td>
              {eps.map((e) => <td key={e}>{pct(at(r, e))}</td>)}
            </tr>
          ))}
        </tbody>
      </table>
      {chosen.length > 0 && <LineChart title="robust accuracy vs eps" x="eps" series={chosen.map((r) => r.name)} data={[eps, ...chosen.map((r) => eps.map((e) => at(r, e)))]} />}
    </section>
  );
}
