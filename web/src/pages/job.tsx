import { useEffect, useState } from 'preact/hooks';
import { isTerminal, operations as ops, type JobEvent, type JobPageQuery, type TemperClient } from '@temper/clients';
import { LineChart } from '../chart.tsx';
import { etaSeconds } from '../eta.ts';
import { duration, pct, secondsBetween } from '../format.ts';

type Node = NonNullable<JobPageQuery['node']>;
type Terms = Record<string, number>;

/** A job, live: loss terms, examples/s and held-out accuracy per update, ETA, checkpoints, logs, timeline. */
export function Job({ client, id }: { client: TemperClient; id: string }) {
  const [events, setEvents] = useState<JobEvent[]>([]);
  const [job, setJob] = useState<Node | null>(null);
  const [error, setError] = useState('');
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const abort = new AbortController();
    const refresh = () => client.request(ops.JobPageQuery, { id }).then((d) => setJob(d.node), (e: Error) => setError(e.message));
    void refresh();
    // The whole timeline from sequence 1, then live; the SDK resumes after the last sequence on a dropped stream.
    void client
      .followJob(id, { signal: abort.signal, onEvent: (e) => (setEvents((all) => [...all, e]), e.kind === 'STATUS' && void refresh()) })
      .then(refresh, (e: Error) => setError(e.message));
    const tick = setInterval(() => setNow(Date.now()), 1000);
    return () => (abort.abort(), clearInterval(tick));
  }, [id]);
  if (error) return <p class="error">{error}</p>;
  if (job && !('kind' in job)) return <p class="error">{id} is a {job.__typename}, not a job.</p>;
  const j = job && 'kind' in job ? job : null;
  // The student's training updates only: the preparing event has no terms yet, the evaluation phase repeats the final ones, and a teacher AUTO job's first stage trains another model.
  const updates = events.filter((e) => e.progress?.phase === 'training' && e.progress.stage !== 'teacher' && Object.keys((e.progress.terms ?? {}) as Terms).length > 0);
  const termNames = [...new Set(updates.flatMap((e) => Object.keys(e.progress!.terms as Terms)))];
  const bySteps = updates.every((e) => e.progress!.step != null);
  const xs = updates.map((e, i) => (bySteps ? e.progress!.step! : i + 1));
  const xLabel = bySteps ? 'step' : 'update';
  const loss = [xs, ...termNames.map((t) => updates.map((e) => Number((e.progress!.terms as Terms)[t] ?? NaN)))];
  const speed = [xs, updates.map((e) => e.progress!.examplesPerSecond ?? NaN)];
  const acc = [xs, updates.map((e) => e.progress!.heldOutCleanAccuracy ?? NaN), updates.map((e) => e.progress!.heldOutPgdAccuracy ?? NaN)];
  const last = events.at(-1);
  const status = last?.status ?? j?.status;
  const progress = [...events].reverse().find((e) => e.progress)?.progress ?? j?.progress;
  const eta = status ? etaSeconds({ status, startedAt: j?.startedAt, progress }, now) : null;
  const checkpoints = events.filter((e) => e.kind === 'CHECKPOINT');
  const logs = events.filter((e) => e.kind === 'LOG');
  const evaluation = j && 'evaluation' in j ? j.evaluation : null;
  const result = j && 'resultModel' in j ? j.resultModel : null;
  return (
    <section>
      <h2>
        {j?.kind ?? 'Job'} {j && 'method' in j ? j.method : ''} <span class={`status ${status}`} data-testid="job-status">{status}</span>{' '}
        {status && !isTerminal(status) && <button data-testid="job-cancel" onClick={() => client.cancelJob(id).catch((e: Error) => setError(e.message))}>cancel</button>}
      </h2>
      <p>
        {progress?.stage && <>stage {progress.stage} · </>}
        {progress?.phase && <>phase {progress.phase} · </>}
        {progress?.epoch != null && <>epoch {progress.epoch}/{progress.epochs} · </>}
        progress {pct(isTerminal(status ?? 'QUEUED') ? (status === 'SUCCEEDED' ? 1 : null) : progress?.fraction)} · ETA <b data-testid="eta">{eta == null ? '–' : duration(eta)}</b> · ran {duration(secondsBetween(j?.startedAt, j?.finishedAt ?? (status === 'RUNNING' ? new Date(now).toISOString() : null)))} · {events.length} events
        {evaluation && <> · <a data-testid="report-link" href={`#/report/${encodeURIComponent(id)}`}>report</a></>}
        {result && <> · result <a href={`#/model/${encodeURIComponent(result.id)}`}>{result.name}</a></>}
      </p>
      {j?.error && <p class="error">{j.error.code}: {j.error.message}</p>}
      <div class="charts" data-testid="curves" data-points={updates.length}>
        <LineChart title="loss terms" x={xLabel} series={termNames} data={loss} />
        <LineChart title="examples/s" x={xLabel} series={['examples/s']} data={speed} />
        <LineChart title="held-out accuracy" x={xLabel} series={['clean', 'PGD']} data={acc} />
      </div>
      <div class="columns">
        <div>
          <h3>Checkpoints</h3>
          {checkpoints.length === 0 ? <p>None yet.</p> : <ul>{checkpoints.map((e) => <li key={e.sequence}>{new Date(e.createdAt).toLocaleTimeString()} {e.message}</li>)}</ul>}
          <h3>Log</h3>
          {logs.length === 0 ? <p>No log lines.</p> : <pre class="log" data-testid="log">{logs.map((e) => `${new Date(e.createdAt).toLocaleTimeString()} ${e.message ?? ''}`).join('\n')}</pre>}
        </div>
        <div>
          <h3>Timeline</h3>
          <ol class="timeline" data-testid="timeline">{events.map((e) => <li key={e.sequence}>#{e.sequence} {new Date(e.createdAt).toLocaleTimeString()} {e.kind} {e.status} {e.message ?? ''}</li>)}</ol>
        </div>
      </div>
      <Parameters config={j?.config} />
      {j && (
        <details>
          <summary>Configuration</summary>
          <pre>{JSON.stringify({ input: j.input, config: j.config }, null, 2)}</pre>
        </details>
      )}
    </section>
  );
}

/** The method's settings as the run resolved them: each value and where its default came from. */
function Parameters({ config }: { config: unknown }) {
  const c = config as { params?: Record<string, unknown>; sources?: Record<string, string> } | null | undefined;
  if (!c?.params || !c.sources) return null;
  return (
    <>
      <h3>Parameters</h3>
      <table data-testid="parameters">
        <thead><tr><th>parameter</th><th>value</th><th>source</th></tr></thead>
        <tbody>{Object.entries(c.params).map(([k, v]) => <tr key={k}><td>{k}</td><td><code>{JSON.stringify(v)}</code></td><td>{c.sources![k] ?? ''}</td></tr>)}</tbody>
      </table>
    </>
  );
}
