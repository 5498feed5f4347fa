import { useEffect, useState } from 'preact/hooks';
import { operations as ops, type DatasetFieldsFragment, type HardeningMethod, type ModelFieldsFragment, type ServerCatalogueQuery, type TemperClient } from '@temper/clients';
import { ATTACK_CATALOGUE, ATTACK_NAMES, COMMON_METHOD_PARAMS, HARDENING_METHOD_KEYS, HARDENING_METHODS, type HardeningMethodKey } from '@temper/contracts';
import { AUTOATTACK_LISTS, AUTOATTACK_VERSIONS, parseEps } from '@temper/edge/evaluation/catalogue';
import { Field, FormError } from '../field.tsx';
import { fieldErrors, type FieldErrors } from '../field-errors.ts';

type Catalogue = ServerCatalogueQuery['serverInfo'];
type Form = HTMLFormElement;

const val = (f: Form, n: string) => ((f.elements.namedItem(n) as HTMLInputElement | null)?.value ?? '').trim();
const optInt = (f: Form, n: string) => (val(f, n) === '' ? undefined : Number(val(f, n)));

/** A param's text as JSON: numbers and booleans as such, anything else a string (the API checks it). */
function paramValue(text: string): unknown {
  if (text === 'true' || text === 'false') return text === 'true';
  const n = Number(text);
  return text !== '' && Number.isFinite(n) ? n : text;
}

/** eps as typed ("0.3", "8/255"); a field error when it is not a number. */
function epsList(text: string, field: string, errors: Record<string, string>): number[] {
  const parts = text.split(/[\s,]+/).filter(Boolean);
  const values = parts.map(parseEps);
  if (parts.length === 0 || values.some((v) => !Number.isFinite(v))) errors[field] = `Write eps as numbers in [0,1] or k/255, comma-separated (got "${text}").`;
  return values;
}

/** The attack list the form asks for: a named AutoAttack version, or the attacks ticked. */
function AttackChoice({ errors, prefix = '' }: { errors: FieldErrors; prefix?: string }) {
  const [version, setVersion] = useState('standard');
  return (
    <Field label="attacks" name="attacks" errors={errors} hint="AutoAttack's lists as Temper runs them, or your own">
      <select name={`${prefix}version`} value={version} onChange={(e) => setVersion((e.target as HTMLSelectElement).value)} data-testid={`${prefix}attacks-version`}>
        {AUTOATTACK_VERSIONS.map((v) => <option key={v} value={v}>{v}: {AUTOATTACK_LISTS[v].map((a) => a.attack).join(', ')}</option>)}
        <option value="custom">custom…</option>
      </select>
      {version === 'custom' && (
        <span class="checks">
          {ATTACK_NAMES.filter((a) => a !== 'transfer').map((a) => (
            <label key={a} title={ATTACK_CATALOGUE[a].description}><input type="checkbox" name={`${prefix}attack`} value={a} /> {a}</label>
          ))}
        </span>
      )}
    </Field>
  );
}

function attacksOf(f: Form, prefix = ''): { attack: string; config?: Record<string, unknown> }[] | undefined {
  const version = val(f, `${prefix}version`);
  if (version === 'standard') return undefined;
  if (version === 'custom') return [...f.querySelectorAll<HTMLInputElement>(`input[name=${prefix}attack]:checked`)].map((i) => ({ attack: i.value }));
  return AUTOATTACK_LISTS[version as keyof typeof AUTOATTACK_LISTS].map((a) => ({ attack: typeof a.attack === 'string' ? a.attack : a.attack.name, config: { ...a.config } }));
}

function ModelSelect({ name, models, value, auto }: { name: string; models: readonly ModelFieldsFragment[]; value?: string; auto?: boolean }) {
  const [picked, setPicked] = useState(value ?? '');
  return (
    <select name={name} value={picked} onChange={(e) => setPicked((e.target as HTMLSelectElement).value)}>
      <option value="">choose…</option>
      {auto && <option value="AUTO">auto: train one for this dataset and eps (or reuse it)</option>}
      {models.map((m) => <option key={m.id} value={m.id}>{m.name} ({m.source.toLowerCase()}, {m.inputShape.join('×')})</option>)}
    </select>
  );
}

function DatasetSelect({ datasets }: { datasets: readonly DatasetFieldsFragment[] }) {
  const [picked, setPicked] = useState('');
  return (
    <select name="dataset" value={picked || datasets[0]?.id} onChange={(e) => setPicked((e.target as HTMLSelectElement).value)}>
      {datasets.map((d) => <option key={d.id} value={d.id}>{d.name} ({d.inputShape.join('×')}, {d.numClasses} classes)</option>)}
    </select>
  );
}

function useSubmit(go: (f: Form, local: Record<string, string>) => Promise<{ id: string } | null>) {
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const onSubmit = async (e: Event) => {
    e.preventDefault();
    const local: Record<string, string> = {};
    setBusy(true);
    try {
      const job = await go(e.target as Form, local);
      setErrors(local);
      if (job) location.hash = `#/job/${encodeURIComponent(job.id)}`;
    } catch (err) {
      setErrors(fieldErrors(err));
    } finally {
      setBusy(false);
    }
  };
  return { errors, busy, onSubmit };
}

function HardenForm({ client, models, datasets, model }: { client: TemperClient; models: readonly ModelFieldsFragment[]; datasets: readonly DatasetFieldsFragment[]; model?: string }) {
  const [method, setMethod] = useState<HardeningMethodKey>('PGD_AT');
  const entry = HARDENING_METHODS[method];
  const { errors, busy, onSubmit } = useSubmit(async (f, local) => {
    const eps = epsList(val(f, 'eps'), 'eps', local);
    const evalEps = val(f, 'evalEps') ? epsList(val(f, 'evalEps'), 'evaluation', local) : undefined;
    if (Object.keys(local).length) return null;
    const params: Record<string, unknown> = {};
    for (const p of [...entry.params, ...COMMON_METHOD_PARAMS]) if (val(f, `param-${p}`) !== '') params[p] = paramValue(val(f, `param-${p}`));
    const attacks = attacksOf(f);
    const sampleSize = optInt(f, 'sampleSize');
    return client.hardenModel({
      method: method as HardeningMethod,
      student: val(f, 'student'),
      teacher: entry.teacher ? val(f, 'teacher') || null : null,
      dataset: val(f, 'dataset'),
      eps: eps[0],
      epochs: Number(val(f, 'epochs')),
      batchSize: optInt(f, 'batchSize'),
      seed: optInt(f, 'seed') ?? 0,
      name: val(f, 'name') || undefined,
      params: Object.keys(params).length ? params : undefined,
      evaluation: evalEps || attacks || sampleSize ? { eps: evalEps, attacks, sampleSize } : undefined,
    });
  });
  return (
    <form class="card" onSubmit={onSubmit} data-testid="harden-form">
      <h3>Harden a model</h3>
      <Field label="method" name="method" errors={errors} hint={`${entry.reference}. ${entry.description}`}>
        <select name="method" value={method} onChange={(e) => setMethod((e.target as HTMLSelectElement).value as HardeningMethodKey)}>
          {HARDENING_METHOD_KEYS.map((k) => <option key={k} value={k}>{HARDENING_METHODS[k].title}</option>)}
        </select>
      </Field>
      <Field label="student" name="student" errors={errors}><ModelSelect name="student" models={models} value={model} /></Field>
      {entry.teacher && <Field label="teacher (robust)" name="teacher" errors={errors} hint="this method distills from or matches a robust teacher"><ModelSelect name="teacher" models={models} auto /></Field>}
      <Field label="dataset" name="dataset" errors={errors}><DatasetSelect datasets={datasets} /></Field>
      <Field label="eps (L∞, [0,1] pixels)" name="eps" errors={errors} hint="0.3 or 8/255"><input name="eps" defaultValue="0.3" /></Field>
      <Field label="epochs" name="epochs" errors={errors}><input name="epochs" type="number" defaultValue="10" /></Field>
      <Field label="batch size" name="batchSize" errors={errors} hint="default: the method's recipe"><input name="batchSize" type="number" /></Field>
      <Field label="seed" name="seed" errors={errors}><input name="seed" type="number" defaultValue="0" /></Field>
      <Field label="name of the result" name="name" errors={errors}><input name="name" /></Field>
      <fieldset>
        <legend>{entry.title}: parameters (empty = the method's default for this dataset and eps; the job's configuration lists each default and its source)</legend>
        {entry.params.length === 0 && <p>This method has no parameters of its own.</p>}
        {entry.params.map((p) => <Field key={`${method}-${p}`} label={p} name={`param-${p}`} errors={errors}><input name={`param-${p}`} placeholder="default" /></Field>)}
        <details>
          <summary>optimizer and monitor</summary>
          {COMMON_METHOD_PARAMS.map((p) => <Field key={p} label={p} name={`param-${p}`} errors={errors}><input name={`param-${p}`} placeholder="default" /></Field>)}
        </details>
        <FormError errors={{ '': errors['params'] ?? '' }} />
      </fieldset>
      <fieldset>
        <legend>final evaluation</legend>
        <Field label="eps list" name="evaluation" errors={errors} hint="default: the training eps"><input name="evalEps" placeholder="0.1, 0.2, 0.3" /></Field>
        <Field label="test examples" name="sampleSize" errors={errors} hint="default 1000"><input name="sampleSize" type="number" /></Field>
        <AttackChoice errors={errors} />
      </fieldset>
      <button disabled={busy}>Start hardening</button>
      <FormError errors={errors} />
    </form>
  );
}

function EvaluateForm({ client, models, datasets, model }: { client: TemperClient; models: readonly ModelFieldsFragment[]; datasets: readonly DatasetFieldsFragment[]; model?: string }) {
  const { errors, busy, onSubmit } = useSubmit(async (f, local) => {
    const eps = epsList(val(f, 'eps'), 'eps', local);
    if (Object.keys(local).length) return null;
    return client.evaluateModel({ model: val(f, 'model'), dataset: val(f, 'dataset'), eps, attacks: attacksOf(f), sampleSize: optInt(f, 'sampleSize'), seed: optInt(f, 'seed') ?? 0 });
  });
  return (
    <form class="card" onSubmit={onSubmit} data-testid="evaluate-form">
      <h3>Evaluate a model</h3>
      <Field label="model" name="model" errors={errors}><ModelSelect name="model" models={models} value={model} /></Field>
      <Field label="dataset" name="dataset" errors={errors}><DatasetSelect datasets={datasets} /></Field>
      <Field label="eps list" name="eps" errors={errors} hint="e.g. 0.1, 0.2, 0.3 or 2/255, 8/255"><input name="eps" defaultValue="0.1, 0.2, 0.3" /></Field>
      <AttackChoice errors={errors} />
      <Field label="test examples" name="sampleSize" errors={errors} hint="default 1000"><input name="sampleSize" type="number" /></Field>
      <Field label="seed" name="seed" errors={errors}><input name="seed" type="number" defaultValue="0" /></Field>
      <button disabled={busy}>Start evaluation</button>
      <FormError errors={errors} />
    </form>
  );
}

function ZooForm({ client, catalogue, datasets }: { client: TemperClient; catalogue: Catalogue | null; datasets: readonly DatasetFieldsFragment[] }) {
  const { errors, busy, onSubmit } = useSubmit(async (f) =>
    client.createZooModel({ architecture: val(f, 'architecture'), dataset: val(f, 'dataset'), epochs: optInt(f, 'epochs') ?? 0, batchSize: optInt(f, 'batchSize'), featureWidth: optInt(f, 'featureWidth'), name: val(f, 'name') || undefined, seed: optInt(f, 'seed') ?? 0 }),
  );
  return (
    <form class="card" onSubmit={onSubmit} data-testid="zoo-form">
      <h3>Train a zoo model</h3>
      <Field label="architecture" name="architecture" errors={errors}>
        <select name="architecture">{catalogue?.zooArchitectures.map((a) => <option key={a.name} value={a.name} title={a.description}>{a.name}: {a.description}</option>)}</select>
      </Field>
      <Field label="dataset" name="dataset" errors={errors}><DatasetSelect datasets={datasets} /></Field>
      <Field label="epochs" name="epochs" errors={errors} hint="0: initialized only"><input name="epochs" type="number" defaultValue="2" /></Field>
      <Field label="batch size" name="batchSize" errors={errors}><input name="batchSize" type="number" /></Field>
      <Field label="feature width" name="featureWidth" errors={errors} hint="match a teacher's for RRM"><input name="featureWidth" type="number" /></Field>
      <Field label="name" name="name" errors={errors}><input name="name" /></Field>
      <Field label="seed" name="seed" errors={errors}><input name="seed" type="number" defaultValue="0" /></Field>
      <button disabled={busy}>Start training</button>
      <FormError errors={errors} />
    </form>
  );
}

/** Start work: harden, evaluate, or train a zoo model. `what` picks the form; `model` preselects one. */
export function Start({ client, what, model }: { client: TemperClient; what?: string; model?: string }) {
  const [models, setModels] = useState<ModelFieldsFragment[]>([]);
  const [datasets, setDatasets] = useState<DatasetFieldsFragment[]>([]);
  const [catalogue, setCatalogue] = useState<Catalogue | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    const fail = (e: Error) => setError(e.message);
    void client.request(ops.ModelsQuery, { first: 200 }).then((d) => setModels(d.viewer.models.edges.map((e) => e.node)), fail);
    void client.datasets().then(setDatasets, fail);
    void client.request(ops.ServerCatalogueQuery).then((d) => setCatalogue(d.serverInfo), fail);
  }, []);
  const tab = what ?? 'harden';
  return (
    <section>
      <h2>Start work</h2>
      <p class="tabs">
        <a href="#/start/harden" class={tab === 'harden' ? 'on' : ''}>Harden</a> <a href="#/start/evaluate" class={tab === 'evaluate' ? 'on' : ''}>Evaluate</a> <a href="#/start/zoo" class={tab === 'zoo' ? 'on' : ''}>Zoo model</a>
        {catalogue && <small> · workers on {catalogue.backend ?? 'no backend yet'}{catalogue.hardeningAvailable ? '' : ' · this build has no hardening engine'}</small>}
      </p>
      {error && <p class="error">{error}</p>}
      {tab === 'evaluate' ? <EvaluateForm client={client} models={models} datasets={datasets} model={model} /> : tab === 'zoo' ? <ZooForm client={client} catalogue={catalogue} datasets={datasets} /> : <HardenForm client={client} models={models} datasets={datasets} model={model} />}
    </section>
  );
}
