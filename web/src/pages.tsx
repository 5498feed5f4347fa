import { useEffect, useMemo, useState } from 'preact/hooks';
import { isTerminal, operations as ops, unwrapResult, type JobEvent, type JobFieldsFragment, type ModelFieldsFragment, type TemperClient } from '@temper/clients';
import { LineChart } from './chart.tsx';

/** What each evaluation flag means and what to do about it (one sentence each). */
const FLAG_HELP: Record<string, string> = {
  GRADIENT_MASKING: 'Gradient attacks do worse than black-box ones: the robustness is likely illusory; trust the black-box number and retrain without masking.',
  NON_MONOTONIC: 'Robust accuracy rises with eps somewhere, which a sound attack cannot produce: rerun with more steps or restarts.',
  ABOVE_CLEAN: 'Robust accuracy exceeds clean accuracy: the attack is broken; report a bug.',
};

const pct = (v: number | null | undefined) => (v == null ? '–' : `${(v * 100).toFixed(1)}%`);
const secs = (a?: string | null, b?: string | null) => (a && b ? `${((Date.parse(b) - Date.parse(a)) / 1000).toFixed(1)} s` : '–');

export function Runs({ client }: { client: TemperClient }) {
  const [jobs, setJobs] = useState<JobFieldsFragment[]>([]);
  const [filter, setFilter] = useState('');
  const [sort, setSort] = useState<'createdAt' | 'kind' | 'status'>('createdAt');
  const [error, setError] = useState('');
  const load = () => client.request(ops.JobsQuery, { first: 100 }).then((d) => setJobs(d.viewer.jobs.edges.map((e) => e.node as JobFieldsFragment)), (e: Error) => setError(e.message));
  useEffect(() => {
    void load();
    // Jobs of every status change under us; a 1 s poll keeps the table live without one stream per row.
    const t = setInterval(load, 1000);
    return () => clearInterval(t);
  }, []);
  const rows = useMemo(
    () => jobs.filter((j) => !filter || JSON.stringify(j).toLowerCase().includes(filter.toLowerCase())).sort((a, b) => String(b[sort]).localeCompare(String(a[sort]))),
    [jobs, filter, sort],
  );
  return (
    <section>
      <h2>Runs</h2>
      {error && <p class="error">{error}</p>}
      <input placeholder="filter" value={filter} onInput={(e) => setFilter((e.target as HTMLInputElement).value)} />
      <table data-testid="runs">
        <thead>
          <tr>
            <th onClick={() => setSort('kind')}>kind</th><th>method</th><th>model</th><th>dataset</th><th>eps</th>
            <th onClick={() => setSort('status')}>status</th><th>progress</th><th onClick={() => setSort('createdAt')}>created</th><th>duration</th><th />
          </tr>
        </thead>
        <tbody>
          {rows.map((j) => {
            const m = j as Record<string, any>;
            return (
              <tr key={j.id}>
                <td><a href={`#/job/${encodeURIComponent(j.id)}`}>{j.kind}</a></td>
                <td>{m.method ?? m.zooArchitecture ?? ''}</td>
                <td>{m.student?.name ?? m.model?.name ?? ''}</td>
                <td>{j.dataset?.name}</td>
                <td>{m.eps ?? (m.evalEps ?? []).join(', ')}</td>
                <td class={`status ${j.status}`}>{j.status}</td>
                <td>{pct(j.progress?.fraction)}</td>
                <td>{new Date(j.createdAt).toLocaleTimeString()}</td>
                <td>{secs(j.startedAt, j.finishedAt)}</td>
                <td>{!isTerminal(j.status) && <button onClick={() => client.request(ops.CancelJobMutation, { id: j.id }).then((r) => unwrapResult(r.cancelJob)).then(load, (e: Error) => setError(e.message))}>cancel</button>}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

export function Job({ client, id }: { client: TemperClient; id: string }) {
  const [events, setEvents] = useState<JobEvent[]>([]);
  const [job, setJob] = useState<Record<string, any> | null>(null);
  useEffect(() => {
    const abort = new AbortController();
    const refresh = () => client.request(ops.JobWithEvaluationQuery, { id }).then((d) => setJob(d.node as Record<string, any>));
    void refresh();
    // The whole timeline from sequence 1, then live; the SDK resumes after the last sequence on a dropped stream.
    void client.followJob(id, { signal: abort.signal, onEvent: (e) => setEvents((all) => [...all, e]) }).then(refresh);
    return () => abort.abort();
  }, [id]);
  const epochs = events.filter((e) => e.progress?.epoch != null && e.progress.terms);
  const termNames = [...new Set(epochs.flatMap((e) => Object.keys((e.progress!.terms ?? {}) as Record<string, number>)))];
  const xs = epochs.map((_, i) => i + 1);
  const loss = [xs, ...termNames.map((t) => epochs.map((e) => Number(((e.progress!.terms ?? {}) as Record<string, number>)[t] ?? NaN)))];
  const speed = [xs, epochs.map((e) => e.progress!.examplesPerSecond ?? NaN)];
  const acc = [xs, epochs.map((e) => e.progress!.heldOutCleanAccuracy ?? NaN), epochs.map((e) => e.progress!.heldOutPgdAccuracy ?? NaN)];
  const last = events.at(-1);
  return (
    <section>
      <h2>Job {job?.kind} <span class={`status ${last?.status ?? job?.status}`} data-testid="job-status">{last?.status ?? job?.status}</span></h2>
      <p>ETA {last?.progress?.etaSeconds != null ? `${Math.round(last.progress.etaSeconds)} s` : '–'} · {events.length} events{job?.evaluation && <> · <a href={`#/report/${encodeURIComponent(id)}`}>report</a></>}</p>
      <div class="charts" data-testid="curves" data-points={epochs.length}>
        <LineChart title="loss terms" x="update" series={termNames} data={loss} />
        <LineChart title="examples/s" x="update" series={['examples/s']} data={speed} />
        <LineChart title="held-out accuracy" x="update" series={['clean', 'PGD']} data={acc} />
      </div>
      <h3>Timeline</h3>
      <ol class="timeline">{events.map((e) => <li key={e.sequence}>#{e.sequence} {e.kind} {e.status} {e.message ?? ''}</li>)}</ol>
    </section>
  );
}

export function Report({ client, id }: { client: TemperClient; id: string }) {
  const [ev, setEv] = useState<Record<string, any> | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    client.jobOrEvaluation(id).then((n) => setEv((n as Record<string, any>).evaluation ?? (n.__typename === 'Evaluation' ? n : null)), (e: Error) => setError(e.message));
  }, [id]);
  if (error) return <p class="error">{error}</p>;
  if (!ev) return <p>This job has no evaluation (yet).</p>;
  const curve = ev.epsCurve as { eps: number; robustAccuracy: number }[];
  const report = (ev.report ?? {}) as Record<string, any>;
  const examples = (report.examples ?? report.adversarialExamples ?? []) as unknown[];
  const download = () => {
    const url = URL.createObjectURL(new Blob([JSON.stringify(report, null, 2)], { type: 'application/json' }));
    Object.assign(document.createElement('a'), { href: url, download: `temper-report-${ev.id}.json` }).click();
    URL.revokeObjectURL(url);
  };
  return (
    <section data-testid="report">
      <h2>Report: {ev.model?.name} on {ev.dataset?.name}</h2>
      <p>Clean accuracy <b data-testid="clean">{pct(ev.cleanAccuracy)}</b> on {ev.numExamples} examples · backend {ev.backend} · seed {ev.seed}</p>
      <div data-testid="eps-chart"><LineChart title="robust accuracy vs eps" x="eps" series={['robust accuracy']} data={[curve.map((c) => c.eps), curve.map((c) => c.robustAccuracy)]} /></div>
      <table><thead><tr><th>eps</th><th>robust</th></tr></thead><tbody>{curve.map((c) => <tr key={c.eps}><td>{c.eps}</td><td>{pct(c.robustAccuracy)}</td></tr>)}</tbody></table>
      <h3>Flags</h3>
      {ev.flags.length === 0 ? <p>No flags.</p> : <ul>{ev.flags.map((f: any) => <li key={f.code + f.eps}><b>{f.code}</b> {f.eps != null && `(eps ${f.eps})`}: {FLAG_HELP[f.code] ?? f.message}</li>)}</ul>}
      <h3>Adversarial examples</h3>
      {examples.length === 0 ? <p data-testid="gallery-empty">This evaluation stored no examples.</p> : <p>{examples.length} examples stored.</p>}
      <button onClick={download}>Download report JSON</button>
      <details><summary>Settings and stages (report JSON)</summary><pre>{JSON.stringify(report, null, 2).slice(0, 20000)}</pre></details>
    </section>
  );
}

export function Models({ client }: { client: TemperClient }) {
  const [models, setModels] = useState<ModelFieldsFragment[]>([]);
  const [msg, setMsg] = useState('');
  const load = () => client.request(ops.ModelsQuery, { first: 100 }).then((d) => setModels(d.viewer.models.edges.map((e) => e.node as ModelFieldsFragment)));
  useEffect(() => void load(), []);
  const onUpload = async (e: Event) => {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const files = [...((form.elements.namedItem('files') as HTMLInputElement).files ?? [])];
    const modelJson = files.find((f) => f.name.endsWith('.json'));
    if (!modelJson) return setMsg('Pick model.json and its weight files.');
    setMsg('uploading…');
    try {
      const m = await client.uploadModel({ name: (form.elements.namedItem('name') as HTMLInputElement).value || modelJson.name, modelJson, weights: files.filter((f) => f !== modelJson) });
      setMsg(`uploaded ${m.name}`);
      await load();
    } catch (err) {
      setMsg((err as Error).message);
    }
  };
  return (
    <section>
      <h2>Models</h2>
      <form onSubmit={onUpload} data-testid="upload">
        <input name="name" placeholder="name" /> <input name="files" type="file" multiple /> <button>Upload</button> <span data-testid="upload-msg">{msg}</span>
      </form>
      <table data-testid="models">
        <thead><tr><th>name</th><th>source</th><th>architecture</th><th>parameters</th><th>input</th><th>warnings</th><th /></tr></thead>
        <tbody>
          {models.map((m) => (
            <tr key={m.id}>
              <td>{m.name}</td><td>{m.source}</td><td>{m.architecture}</td><td>{m.parameterCount}</td><td>{m.inputShape.join('×')}</td><td>{m.warnings.join('; ')}</td>
              <td><button onClick={() => client.request(ops.DeleteModelMutation, { id: m.id }).then((r) => unwrapResult(r.deleteModel)).then(load, (e: Error) => setMsg(e.message))}>delete</button></td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
