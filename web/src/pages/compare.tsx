import { useEffect, useState } from 'preact/hooks';
import { operations as ops, type TemperClient } from '@temper/clients';
import { LineChart } from '../chart.tsx';

type Row = { id: string; name: string; method: string; dataset: string; seconds: number; clean: number; curve: { eps: number; robustAccuracy: number }[] };

/** Hardened models side by side (the paper-style table): every finished hardening job with an evaluation, one dataset at a time. */
export function Compare({ client }: { client: TemperClient }) {
  const [rows, setRows] = useState<Row[]>([]);
  const [picked, setPicked] = useState<Set<string>>(new Set());
  useEffect(() => {
    void client.request(ops.JobsQuery, { first: 100, status: ['SUCCEEDED'], kind: ['HARDEN'] }).then(async (d) => {
      const found = await Promise.all(d.viewer.jobs.edges.map((e) => client.request(ops.JobWithEvaluationQuery, { id: e.node.id }).then((r) => r.node as Record<string, any>)));
      setRows(
        found
          .filter((j) => j?.evaluation)
          .map((j) => ({ id: j.id, name: j.resultModel?.name ?? j.id, method: j.method, dataset: j.dataset?.name ?? '', seconds: (Date.parse(j.finishedAt) - Date.parse(j.startedAt)) / 1000, clean: j.evaluation.cleanAccuracy, curve: j.evaluation.epsCurve })),
      );
    });
  }, []);
  const chosen = rows.filter((r) => picked.has(r.id));
  const eps = [...new Set(chosen.flatMap((r) => r.curve.map((c) => c.eps)))].sort((a, b) => a - b);
  const toggle = (id: string) => setPicked((s) => (s.has(id) ? new Set([...s].filter((x) => x !== id)) : new Set([...s, id])));
  const at = (r: Row, e: number) => r.curve.find((c) => c.eps === e)?.robustAccuracy ?? NaN;
  return (
    <section>
      <h2>Compare</h2>
      <table data-testid="compare">
        <thead><tr><th /><th>model</th><th>method</th><th>dataset</th><th>training</th><th>clean</th>{eps.map((e) => <th key={e}>robust @ {e}</th>)}</tr></thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id}>
              <td><input type="checkbox" checked={picked.has(r.id)} onChange={() => toggle(r.id)} /></td>
              <td>{r.name}</td><td>{r.method}</td><td>{r.dataset}</td><td>{r.seconds.toFixed(1)} s</td><td>{(r.clean * 100).toFixed(1)}%</td>
              {eps.map((e) => <td key={e}>{Number.isFinite(at(r, e)) ? `${(at(r, e) * 100).toFixed(1)}%` : '–'}</td>)}
            </tr>
          ))}
        </tbody>
      </table>
      {chosen.length > 0 && <LineChart title="robust accuracy vs eps" x="eps" series={chosen.map((r) => r.name)} data={[eps, ...chosen.map((r) => eps.map((e) => at(r, e)))]} />}
    </section>
  );
}
