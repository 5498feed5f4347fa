import { useEffect, useMemo, useState } from 'preact/hooks';
import { isTerminal, operations as ops, type RunsQuery, type TemperClient } from '@temper/clients';
import { etaSeconds } from '../eta.ts';
import { duration, epsLabel, pct, secondsBetween } from '../format.ts';

type Job = RunsQuery['viewer']['jobs']['edges'][number]['node'];

interface Row {
  readonly job: Job;
  readonly id: string;
  readonly kind: string;
  readonly method: string;
  readonly model: string;
  readonly dataset: string;
  readonly eps: string;
  readonly status: string;
  readonly progress: number | null;
  readonly clean: number | null;
  readonly robust: number | null;
  readonly duration: number | null;
  readonly eta: number | null;
  readonly backend: string;
  readonly created: string;
}

function toRow(j: Job, now: number): Row {
  const ev = j.__typename === 'HardeningJob' || j.__typename === 'EvaluationJob' ? j.evaluation : null;
  // The worst case at the largest eps: the number a run is judged by.
  const robust = ev?.epsCurve.length ? ev.epsCurve.reduce((a, b) => (b.eps > a.eps ? b : a)).robustAccuracy : null;
  return {
    job: j,
    id: j.id,
    kind: j.kind,
    method: j.__typename === 'HardeningJob' ? j.method : j.__typename === 'ZooTrainingJob' ? j.zooArchitecture : '',
    model: j.__typename === 'HardeningJob' ? (j.student?.name ?? '') : j.__typename === 'EvaluationJob' ? (j.model?.name ?? '') : j.__typename === 'ZooTrainingJob' ? (j.resultModel?.name ?? '') : '',
    dataset: j.dataset?.name ?? '',
    eps: j.__typename === 'HardeningJob' ? epsLabel(j.eps) : j.__typename === 'EvaluationJob' ? j.evalEps.map(epsLabel).join(', ') : '',
    status: j.status,
    progress: isTerminal(j.status) ? (j.status === 'SUCCEEDED' ? 1 : null) : (j.progress?.fraction ?? null),
    clean: ev?.cleanAccuracy ?? null,
    robust,
    duration: secondsBetween(j.startedAt, j.finishedAt ?? (j.status === 'RUNNING' ? new Date(now).toISOString() : null)),
    eta: etaSeconds(j, now),
    backend: ev?.backend ?? '',
    created: j.createdAt,
  };
}

const COLUMNS: readonly { key: keyof Row; label: string; show: (r: Row) => string }[] = [
  { key: 'kind', label: 'kind', show: (r) => r.kind },
  { key: 'method', label: 'method', show: (r) => r.method },
  { key: 'model', label: 'model', show: (r) => r.model },
  { key: 'dataset', label: 'dataset', show: (r) => r.dataset },
  { key: 'eps', label: 'eps', show: (r) => r.eps },
  { key: 'status', label: 'status', show: (r) => r.status },
  { key: 'progress', label: 'progress', show: (r) => pct(r.progress) },
  { key: 'clean', label: 'clean', show: (r) => pct(r.clean) },
  { key: 'robust', label: 'robust (max eps)', show: (r) => pct(r.robust) },
  { key: 'duration', label: 'duration', show: (r) => duration(r.duration) },
  { key: 'eta', label: 'ETA', show: (r) => (r.eta == null ? '' : duration(r.eta)) },
  { key: 'backend', label: 'backend', show: (r) => r.backend },
  { key: 'created', label: 'created', show: (r) => new Date(r.created).toLocaleString() },
];

function compare(a: unknown, b: unknown): number {
  // Missing values sort last whatever the direction.
  if (a == null || a === '') return b == null || b === '' ? 0 : 1;
  if (b == null || b === '') return -1;
  return typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b), undefined, { numeric: true });
}

const KINDS = ['HARDEN', 'EVALUATE', 'TRAIN_ZOO'];
const STATUSES = ['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED'];

/** Every job, live: filter by kind, status and free text; sort by any column; cancel unfinished ones. */
export function Runs({ client }: { client: TemperClient }) {
  const [jobs, setJobs] = useState<Job[]>([]);
  const [now, setNow] = useState(Date.now());
  const [text, setText] = useState('');
  const [kind, setKind] = useState('');
  const [status, setStatus] = useState('');
  const [sort, setSort] = useState<{ key: keyof Row; dir: 1 | -1 }>({ key: 'created', dir: -1 });
  const [error, setError] = useState('');
  const load = () =>
    client.request(ops.RunsQuery, { first: 200 }).then(
      (d) => (setJobs(d.viewer.jobs.edges.map((e) => e.node)), setNow(Date.now()), setError('')),
      (e: Error) => setError(e.message),
    );
  useEffect(() => {
    void load();
    // Every row can change under us; one 1.5 s poll keeps the table live without a stream per row.
    const t = setInterval(load, 1500);
    return () => clearInterval(t);
  }, []);
  const rows = useMemo(() => {
    const q = text.trim().toLowerCase();
    return jobs
      .map((j) => toRow(j, now))
      .filter((r) => (!kind || r.kind === kind) && (!status || r.status === status) && (!q || [r.id, r.method, r.model, r.dataset, r.eps, r.backend].some((v) => v.toLowerCase().includes(q))))
      .sort((a, b) => {
        const c = compare(a[sort.key], b[sort.key]);
        return a[sort.key] == null || b[sort.key] == null || a[sort.key] === '' || b[sort.key] === '' ? c : c * sort.dir;
      });
  }, [jobs, now, text, kind, status, sort]);
  const cancel = (id: string) => client.cancelJob(id).then(load, (e: Error) => setError(e.message));
  const sortBy = (key: keyof Row) => setSort((s) => ({ key, dir: s.key === key ? (-s.dir as 1 | -1) : key === 'created' ? -1 : 1 }));
  return (
    <section>
      <h2>Runs</h2>
      {error && <p class="error">{error}</p>}
      <div class="filters">
        <input data-testid="runs-filter" placeholder="filter: method, model, dataset…" value={text} onInput={(e) => setText((e.target as HTMLInputElement).value)} />
        <select data-testid="runs-kind" value={kind} onChange={(e) => setKind((e.target as HTMLSelectElement).value)}>
          <option value="">every kind</option>
          {KINDS.map((k) => <option key={k}>{k}</option>)}
        </select>
        <select data-testid="runs-status" value={status} onChange={(e) => setStatus((e.target as HTMLSelectElement).value)}>
          <option value="">every status</option>
          {STATUSES.map((k) => <option key={k}>{k}</option>)}
        </select>
        <span>{rows.length} of {jobs.length}</span>
      </div>
      <table data-testid="runs">
        <thead>
          <tr>
            {COLUMNS.map((c) => (
              <th key={c.key} data-sort={c.key} onClick={() => sortBy(c.key)} aria-sort={sort.key === c.key ? (sort.dir > 0 ? 'ascending' : 'descending') : undefined}>
                {c.label}{sort.key === c.key ? (sort.dir > 0 ? ' ▲' : ' ▼') : ''}
              </th>
            ))}
            <th />
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id} data-id={r.id}>
              {COLUMNS.map((c, i) => (
                <td key={c.key} class={c.key === 'status' ? `status ${r.status}` : undefined}>
                  {i === 0 ? <a href={`#/job/${encodeURIComponent(r.id)}`}>{c.show(r)}</a> : c.key === 'robust' && r.robust != null ? <a href={`#/report/${encodeURIComponent(r.id)}`}>{c.show(r)}</a> : c.show(r)}
                </td>
              ))}
              <td>{!isTerminal(r.job.status) && <button onClick={() => cancel(r.id)}>cancel</button>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
