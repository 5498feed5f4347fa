import { useEffect, useState } from 'preact/hooks';
import { operations as ops, type ModelDetailQuery, type ModelsPageQuery, type TemperClient } from '@temper/clients';
import { Field, FormError, UploadProgress } from '../field.tsx';
import { bytes, pct } from '../format.ts';
import { useUpload } from '../use-upload.ts';

type Model = ModelsPageQuery['viewer']['models']['edges'][number]['node'];

const preprocessingText = (p: unknown) => {
  const v = p as { kind?: string; mean?: number[]; std?: number[] } | null;
  if (!v?.kind) return 'unit [0,1]';
  return v.kind === 'meanStd' ? `meanStd (mean ${v.mean?.join(', ')}; std ${v.std?.join(', ')})` : v.kind === 'byte' ? 'byte [0,255]' : 'unit [0,1]';
};

function Lineage({ m }: { m: Model }) {
  const by = m.createdBy;
  if (!by) return <>uploaded</>;
  const job = <a href={`#/job/${encodeURIComponent(by.id)}`}>{by.__typename === 'HardeningJob' ? by.method : 'zoo training'}</a>;
  if (by.__typename === 'HardeningJob') {
    return (
      <>
        {job} of {by.student ? <a href={`#/model/${encodeURIComponent(by.student.id)}`}>{by.student.name}</a> : '(deleted)'}
        {by.teacher && <> from teacher <a href={`#/model/${encodeURIComponent(by.teacher.id)}`}>{by.teacher.name}</a></>} on {by.dataset?.name}, eps {by.eps}
      </>
    );
  }
  return <>{job} on {by.dataset?.name}</>;
}

/** Upload form: model.json and its shards, preprocessing, feature layer; progress and errors by field. */
function UploadModel({ client, onDone }: { client: TemperClient; onDone: () => void }) {
  const { progress, errors, setErrors, busy, run } = useUpload(client);
  const [kind, setKind] = useState('');
  const [done, setDone] = useState('');
  const submit = async (e: Event) => {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const value = (n: string) => (form.elements.namedItem(n) as HTMLInputElement | null)?.value.trim() ?? '';
    const files = [...((form.elements.namedItem('files') as HTMLInputElement).files ?? [])];
    const modelJson = files.find((f) => f.name.endsWith('.json'));
    if (!modelJson) return setErrors({ files: 'Pick model.json and every weight file it lists.' });
    let preprocessing: unknown;
    if (kind === 'meanStd') {
      const nums = (s: string) => s.split(/[\s,]+/).filter(Boolean).map(Number);
      preprocessing = { kind, mean: nums(value('mean')), std: nums(value('std')) };
    } else if (kind) preprocessing = { kind };
    setDone('');
    const m = await run((c) => c.uploadModel({ name: value('name') || modelJson.name.replace(/\.json$/, ''), modelJson, weights: files.filter((f) => f !== modelJson), featureLayer: value('featureLayer') || undefined, preprocessing }));
    if (m) {
      setDone(`Uploaded ${m.name} (${m.parameterCount} parameters).`);
      form.reset();
      setKind('');
      onDone();
    }
  };
  return (
    <form class="card" onSubmit={submit} data-testid="upload">
      <h3>Upload a model</h3>
      <Field label="name" name="name" errors={errors}><input name="name" placeholder="my-model" /></Field>
      <Field label="model.json and weight shards" name="files" errors={errors} hint="tfjs layers model: model.save() or tensorflowjs_converter output">
        <input name="files" type="file" multiple />
      </Field>
      <Field label="input preprocessing" name="preprocessing" errors={errors} hint="what the model expects of [0,1] pixels; eps stays in [0,1] units">
        <select name="preprocessing" value={kind} onChange={(e) => setKind((e.target as HTMLSelectElement).value)}>
          <option value="">as model.json records (else unit)</option>
          <option value="unit">unit: [0,1]</option>
          <option value="byte">byte: [0,255]</option>
          <option value="meanStd">meanStd: (x − mean) / std per channel</option>
        </select>
      </Field>
      {kind === 'meanStd' && (
        <>
          <Field label="mean" name="mean" errors={errors}><input name="mean" placeholder="0.4914, 0.4822, 0.4465" /></Field>
          <Field label="std" name="std" errors={errors}><input name="std" placeholder="0.2470, 0.2435, 0.2616" /></Field>
        </>
      )}
      <Field label="feature layer" name="featureLayer" errors={errors} hint="penultimate layer, for RRM (default: the layer named features)"><input name="featureLayer" /></Field>
      <button disabled={busy}>Upload</button> <UploadProgress {...progress} /> <span data-testid="upload-msg">{done}</span>
      <FormError errors={errors} />
    </form>
  );
}

export function Models({ client }: { client: TemperClient }) {
  const [models, setModels] = useState<Model[]>([]);
  const [msg, setMsg] = useState('');
  const load = () => client.request(ops.ModelsPageQuery, { first: 100 }).then((d) => setModels(d.viewer.models.edges.map((e) => e.node)), (e: Error) => setMsg(e.message));
  useEffect(() => void load(), []);
  const remove = (id: string) => client.request(ops.DeleteModelMutation, { id }).then((r) => (r.deleteModel.__typename === 'MutationDeleteModelSuccess' ? (setMsg(''), load()) : setMsg(`${(r.deleteModel as { code?: string }).code}: ${(r.deleteModel as { message?: string }).message}`)));
  return (
    <section>
      <h2>Models</h2>
      <UploadModel client={client} onDone={load} />
      {msg && <p class="error" data-testid="models-error">{msg}</p>}
      <table data-testid="models">
        <thead><tr><th>name</th><th>source</th><th>architecture</th><th>parameters</th><th>input</th><th>classes</th><th>preprocessing</th><th>lineage</th><th>warnings</th><th /></tr></thead>
        <tbody>
          {models.map((m) => (
            <tr key={m.id}>
              <td><a href={`#/model/${encodeURIComponent(m.id)}`}>{m.name}</a></td><td>{m.source}</td><td>{m.architecture ?? m.producer ?? ''}</td><td>{m.parameterCount.toLocaleString()}</td>
              <td>{m.inputShape.join('×')}</td><td>{m.numClasses}</td><td>{preprocessingText(m.preprocessing)}</td><td><Lineage m={m} /></td>
              <td class="warn">{m.warnings.join('; ')}</td>
              <td><button onClick={() => remove(m.id)}>delete</button></td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

type Detail = Extract<NonNullable<ModelDetailQuery['node']>, { __typename: 'Model' }>;

/** One model: its files, preprocessing, warnings, lineage and every evaluation of it. */
export function ModelPage({ client, id }: { client: TemperClient; id: string }) {
  const [m, setM] = useState<Detail | null>(null);
  const [error, setError] = useState('');
  useEffect(() => void client.request(ops.ModelDetailQuery, { id }).then((d) => (d.node?.__typename === 'Model' ? setM(d.node) : setError(`No model ${id}.`)), (e: Error) => setError(e.message)), [id]);
  if (error) return <p class="error">{error}</p>;
  if (!m) return <p>Loading…</p>;
  return (
    <section data-testid="model">
      <h2>Model {m.name}</h2>
      <p>
        {m.source} · {m.architecture ?? m.producer ?? 'layers model'} · {m.parameterCount.toLocaleString()} parameters · input {m.inputShape.join('×')} · {m.numClasses} classes · preprocessing {preprocessingText(m.preprocessing)} · feature layer {m.featureLayer}
        {m.outputsWereSoftmax && ' · ended in softmax (Temper uses its logits)'}
        {m.createdBy && <> · made by <a href={`#/job/${encodeURIComponent(m.createdBy.id)}`}>{m.createdBy.__typename}</a> on {m.createdBy.dataset?.name}</>}
      </p>
      {m.warnings.length > 0 && <ul class="warn">{m.warnings.map((w) => <li key={w}>{w}</li>)}</ul>}
      <p><a href={`#/start/evaluate/${encodeURIComponent(m.id)}`}>Evaluate</a> · <a href={`#/start/harden/${encodeURIComponent(m.id)}`}>Harden</a></p>
      <h3>Evaluations</h3>
      {m.evaluations.length === 0 ? <p>None yet.</p> : (
        <table data-testid="model-evaluations">
          <thead><tr><th>when</th><th>dataset</th><th>examples</th><th>clean</th><th>robust at each eps</th></tr></thead>
          <tbody>
            {m.evaluations.map((e) => (
              <tr key={e.id}>
                <td><a href={`#/report/${encodeURIComponent(e.id)}`}>{new Date(e.createdAt).toLocaleString()}</a></td><td>{e.dataset?.name}</td><td>{e.numExamples}</td><td>{pct(e.cleanAccuracy)}</td>
                <td>{e.epsCurve.map((p) => `${p.eps}: ${pct(p.robustAccuracy)}`).join(' · ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>Files</h3>
      <ul>{m.files.map((f) => <li key={f.name}><code>{f.name}</code> {bytes(f.bytes)} <small>sha256 {f.sha256.slice(0, 16)}…</small></li>)}</ul>
    </section>
  );
}
