import { useEffect, useState } from 'preact/hooks';
import { operations as ops, type DatasetsPageQuery, type TemperClient } from '@temper/clients';
import { Field, FieldError, FormError, UploadProgress } from '../field.tsx';
import { useUpload } from '../use-upload.ts';

type Dataset = DatasetsPageQuery['viewer']['datasets']['edges'][number]['node'];

/** Upload form for IDX pairs (MNIST, Fashion-MNIST; raw or gzip) and CIFAR-10 binary batches. */
function UploadDataset({ client, onDone }: { client: TemperClient; onDone: () => void }) {
  const { progress, errors, busy, run } = useUpload(client);
  const [format, setFormat] = useState<'IDX' | 'CIFAR10'>('IDX');
  const [done, setDone] = useState('');
  const submit = async (e: Event) => {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const value = (n: string) => (form.elements.namedItem(n) as HTMLInputElement | null)?.value.trim() ?? '';
    const files = (n: string) => [...((form.elements.namedItem(n) as HTMLInputElement | null)?.files ?? [])];
    const int = (n: string) => (value(n) ? Number(value(n)) : undefined);
    const classNames = value('classNames') ? value('classNames').split(',').map((s) => s.trim()) : undefined;
    setDone('');
    const d = await run((c) =>
      c.uploadDataset({
        name: value('name'),
        format,
        ...(format === 'IDX' ? { images: files('images')[0], labels: files('labels')[0] } : { batches: files('batches'), meta: files('meta')[0] }),
        numClasses: int('numClasses'),
        trainSize: int('trainSize'),
        testSize: int('testSize'),
        classNames,
      }),
    );
    if (d) {
      setDone(`Uploaded ${d.name}: ${d.count} examples (${d.trainSize} train, ${d.testSize} test).`);
      form.reset();
      onDone();
    }
  };
  return (
    <form class="card" onSubmit={submit} data-testid="upload-dataset">
      <h3>Upload a dataset</h3>
      <Field label="name" name="name" errors={errors}><input name="name" placeholder="fashion-mnist" /></Field>
      <Field label="format" name="format" errors={errors}>
        <select name="format" value={format} onChange={(e) => setFormat((e.target as HTMLSelectElement).value as 'IDX' | 'CIFAR10')}>
          <option value="IDX">IDX image/label pair (MNIST, Fashion-MNIST; raw or .gz)</option>
          <option value="CIFAR10">CIFAR-10 binary batches</option>
        </select>
      </Field>
      {format === 'IDX' ? (
        <>
          <Field label="images (idx3)" name="images" errors={errors}><input name="images" type="file" /></Field>
          <Field label="labels (idx1)" name="labels" errors={errors}><input name="labels" type="file" /></Field>
        </>
      ) : (
        <>
          <Field label="batches (data_batch_*.bin, test_batch.bin), in order" name="batches" errors={errors}><input name="batches" type="file" multiple /></Field>
          <Field label="batches.meta.txt (optional)" name="meta" errors={errors}><input name="meta" type="file" /></Field>
        </>
      )}
      <FieldError name="files" errors={errors} />
      <Field label="classes" name="numClasses" errors={errors} hint="default: from the labels"><input name="numClasses" type="number" min={2} /></Field>
      <Field label="class names" name="classNames" errors={errors} hint="comma-separated"><input name="classNames" /></Field>
      <Field label="train size" name="trainSize" errors={errors}><input name="trainSize" type="number" min={1} /></Field>
      <Field label="test size" name="testSize" errors={errors}><input name="testSize" type="number" min={1} /></Field>
      <button disabled={busy}>Upload</button> <UploadProgress {...progress} /> <span data-testid="upload-dataset-msg">{done}</span>
      <FormError errors={errors} />
    </form>
  );
}

export function Datasets({ client }: { client: TemperClient }) {
  const [rows, setRows] = useState<Dataset[]>([]);
  const [error, setError] = useState('');
  const load = () => client.request(ops.DatasetsPageQuery, { first: 100 }).then((d) => setRows(d.viewer.datasets.edges.map((e) => e.node)), (e: Error) => setError(e.message));
  useEffect(() => void load(), []);
  return (
    <section>
      <h2>Datasets</h2>
      <UploadDataset client={client} onDone={load} />
      {error && <p class="error">{error}</p>}
      <table data-testid="datasets">
        <thead><tr><th>name</th><th>source</th><th>format</th><th>examples</th><th>train / test</th><th>input</th><th>classes</th></tr></thead>
        <tbody>
          {rows.map((d) => (
            <tr key={d.id}>
              <td>{d.name}</td><td>{d.datasetSource}</td><td>{d.datasetFormat}</td><td>{d.count.toLocaleString()}</td><td>{d.trainSize} / {d.testSize}</td><td>{d.inputShape.join('×')}</td>
              <td title={d.classNames?.join(', ')}>{d.numClasses}{d.classNames?.length ? `: ${d.classNames.slice(0, 10).join(', ')}` : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
