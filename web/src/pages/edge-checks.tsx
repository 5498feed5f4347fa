import { useEffect, useState } from 'preact/hooks';
import { operations as ops, unwrapResult, type EdgeCheckFieldsFragment, type ModelFieldsFragment, type TemperClient } from '@temper/clients';
import { Field, FormError } from '../field.tsx';
import { fieldErrors, type FieldErrors } from '../field-errors.ts';
import { pct } from '../format.ts';

const VERDICT: Record<string, string> = {
  PENDING: 'Waiting for a device to run it',
  PASSED: 'The device reproduced the server and no attack found a problem',
  FLAGGED: 'The latest device report raised flags',
};

/** The page a device opens to run a check on itself (served by the API at /edge/). */
const devicePage = (client: TemperClient, id: string) => `/edge/?check=${encodeURIComponent(id)}#token=${encodeURIComponent(client.options.token ?? '')}`;

function CreateCheck({ client, onDone }: { client: TemperClient; onDone: () => void }) {
  const [models, setModels] = useState<ModelFieldsFragment[]>([]);
  const [datasets, setDatasets] = useState<{ id: string; name: string }[]>([]);
  const [errors, setErrors] = useState<FieldErrors>({});
  useEffect(() => {
    void client.request(ops.ModelsQuery, { first: 200 }).then((d) => setModels(d.viewer.models.edges.map((e) => e.node)));
    void client.datasets().then(setDatasets);
  }, []);
  const submit = async (e: Event) => {
    e.preventDefault();
    const f = e.target as HTMLFormElement;
    const v = (n: string) => (f.elements.namedItem(n) as HTMLInputElement).value.trim();
    const int = (n: string) => (v(n) ? Number(v(n)) : undefined);
    setErrors({});
    try {
      const r = await client.request(ops.CreateEdgeCheckMutation, {
        input: {
          model: v('model'),
          dataset: v('dataset'),
          eps: Number(v('eps')),
          surrogates: [...(f.elements.namedItem('surrogates') as HTMLSelectElement).selectedOptions].map((o) => o.value),
          sampleSize: int('sampleSize'),
          attackCount: int('attackCount'),
          squareQueries: int('squareQueries'),
          pgdSteps: int('pgdSteps'),
          seed: int('seed'),
        },
      });
      const check = unwrapResult(r.createEdgeCheck);
      location.hash = `#/edge/${encodeURIComponent(check.id)}`;
      onDone();
    } catch (err) {
      setErrors(fieldErrors(err));
    }
  };
  return (
    <form class="card" onSubmit={submit} data-testid="edge-form">
      <h3>Create an edge check</h3>
      <Field label="model (the student the device checks)" name="model" errors={errors}>
        <select name="model">{models.map((m) => <option key={m.id} value={m.id}>{m.name}</option>)}</select>
      </Field>
      <Field label="dataset" name="dataset" errors={errors}><select name="dataset">{datasets.map((d) => <option key={d.id} value={d.id}>{d.name}</option>)}</select></Field>
      <Field label="eps" name="eps" errors={errors}><input name="eps" defaultValue="0.1" /></Field>
      <Field label="surrogates (transfer attack; at least one)" name="surrogates" errors={errors}>
        <select name="surrogates" multiple size={4}>{models.map((m) => <option key={m.id} value={m.id}>{m.name}</option>)}</select>
      </Field>
      <Field label="sample size" name="sampleSize" errors={errors}><input name="sampleSize" type="number" defaultValue="200" /></Field>
      <Field label="attacked rows" name="attackCount" errors={errors} hint="default min(sample, 100)"><input name="attackCount" type="number" /></Field>
      <Field label="Square queries" name="squareQueries" errors={errors}><input name="squareQueries" type="number" defaultValue="1000" /></Field>
      <Field label="PGD steps (transfer)" name="pgdSteps" errors={errors}><input name="pgdSteps" type="number" defaultValue="10" /></Field>
      <Field label="seed" name="seed" errors={errors}><input name="seed" type="number" defaultValue="0" /></Field>
      <button>Create</button>
      <FormError errors={errors} />
    </form>
  );
}

export function EdgeChecks({ client }: { client: TemperClient }) {
  const [checks, setChecks] = useState<EdgeCheckFieldsFragment[]>([]);
  const [error, setError] = useState('');
  const load = () => client.request(ops.EdgeChecksQuery, { first: 100 }).then((d) => setChecks(d.viewer.edgeChecks.edges.map((e) => e.node)), (e: Error) => setError(e.message));
  useEffect(() => void load(), []);
  return (
    <section>
      <h2>Edge checks</h2>
      <p>A check bundles a model, a sample and surrogates; a browser or device runs Square and transfer attacks on itself and reports back.</p>
      {error && <p class="error">{error}</p>}
      <table data-testid="edge-checks">
        <thead><tr><th>created</th><th>model</th><th>dataset</th><th>eps</th><th>status</th><th>reports</th><th>latest clean / Square / transfer</th></tr></thead>
        <tbody>
          {checks.map((c) => {
            const r = c.reports.at(-1);
            const s = c.settings as { eps?: number };
            return (
              <tr key={c.id}>
                <td><a href={`#/edge/${encodeURIComponent(c.id)}`}>{new Date(c.createdAt).toLocaleString()}</a></td><td>{c.model?.name ?? '(deleted)'}</td><td>{c.dataset?.name}</td><td>{s.eps}</td>
                <td class={`status ${c.checkStatus}`}>{c.checkStatus}</td><td>{c.reports.length}</td>
                <td>{r ? `${pct(r.cleanAccuracy)} / ${pct(r.squareRobustAccuracy)} / ${pct(r.transferRobustAccuracy)}` : '–'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <CreateCheck client={client} onDone={load} />
    </section>
  );
}

export function EdgeCheckPage({ client, id }: { client: TemperClient; id: string }) {
  const [c, setC] = useState<EdgeCheckFieldsFragment | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    const load = () => client.node(id).then((n) => (n?.__typename === 'EdgeCheck' ? setC(n as EdgeCheckFieldsFragment) : setError(`No edge check ${id}.`)), (e: Error) => setError(e.message));
    void load();
    // A device may report while the page is open.
    const t = setInterval(load, 3000);
    return () => clearInterval(t);
  }, [id]);
  if (error) return <p class="error">{error}</p>;
  if (!c) return <p>Loading…</p>;
  return (
    <section data-testid="edge-check">
      <h2>Edge check <span class={`status ${c.checkStatus}`} data-testid="edge-status">{c.checkStatus}</span></h2>
      <p data-testid="edge-verdict">{VERDICT[c.checkStatus] ?? c.checkStatus}. Model {c.model?.name ?? '(deleted)'} (sha256 {c.modelSha256.slice(0, 12)}…) on {c.dataset?.name}; surrogates {c.surrogates.map((s) => s?.name ?? '(deleted)').join(', ')}.</p>
      <p><a href={devicePage(client, c.id)} target="_blank" data-testid="edge-run">Run it on this device</a> (opens the edge page with your token)</p>
      <h3>Settings</h3>
      <pre>{JSON.stringify(c.settings, null, 2)}</pre>
      {c.flags.length > 0 && <><h3>Flags</h3><ul>{c.flags.map((f) => <li key={f.code}><b>{f.code}</b>: {f.message}</li>)}</ul></>}
      <h3>Reports</h3>
      {c.reports.length === 0 ? <p>No device has reported yet.</p> : (
        <table data-testid="edge-reports">
          <thead><tr><th>when</th><th>backend</th><th>clean</th><th>Square robust</th><th>transfer robust</th><th>agreement with server</th><th>flags</th></tr></thead>
          <tbody>
            {c.reports.map((r) => (
              <tr key={r.id}>
                <td>{new Date(r.createdAt).toLocaleString()}</td><td>{r.backend}</td><td>{pct(r.cleanAccuracy)}</td><td>{pct(r.squareRobustAccuracy)}</td><td>{pct(r.transferRobustAccuracy)}</td>
                <td>{r.agreement ? `${r.agreement.agree}/${r.agreement.count} (${pct(r.agreement.rate)})${r.agreement.ok ? '' : ' ✗'}` : '–'}</td>
                <td>{r.flags.map((f) => f.code).join(', ') || 'none'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
