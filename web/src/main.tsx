import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { operations as ops } from '@temper/clients';
import { Compare } from './pages/compare.tsx';
import { Datasets } from './pages/datasets.tsx';
import { EdgeCheckPage, EdgeChecks } from './pages/edge-checks.tsx';
import { Job } from './pages/job.tsx';
import { ModelPage, Models } from './pages/models.tsx';
import { Report } from './pages/report.tsx';
import { Runs } from './pages/runs.tsx';
import { Start } from './pages/start.tsx';
import { clientFor, saveToken, storedToken } from './session.ts';
import './style.css';

function useHash(): string {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const on = () => setHash(location.hash);
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return hash;
}

function SignIn({ onToken }: { onToken: (t: string) => void }) {
  const [error, setError] = useState('');
  const submit = async (e: Event) => {
    e.preventDefault();
    const token = ((e.target as HTMLFormElement).elements.namedItem('token') as HTMLInputElement).value.trim();
    try {
      await clientFor(token).request(ops.WhoAmIQuery);
      onToken(token);
    } catch (err) {
      setError(`That token was refused: ${(err as Error).message}`);
    }
  };
  return (
    <form onSubmit={submit} class="signin">
      <h1>Temper</h1>
      <p>Paste an API token (`npm run token` prints one); it is kept for this tab only.</p>
      <input name="token" type="password" placeholder="tmp_…" size={60} /> <button>Sign in</button>
      {error && <p class="error" data-testid="signin-error">{error}</p>}
    </form>
  );
}

const NAV: readonly [string, string][] = [
  ['', 'Runs'],
  ['start', 'Start'],
  ['models', 'Models'],
  ['datasets', 'Datasets'],
  ['compare', 'Compare'],
  ['edge', 'Edge checks'],
];

function App() {
  const [token, setToken] = useState(storedToken());
  const [owner, setOwner] = useState('');
  const hash = useHash();
  const client = token ? clientFor(token) : null;
  useEffect(() => void client?.request(ops.WhoAmIQuery).then((d) => setOwner(d.viewer.name)), [token]);
  if (!client) return <SignIn onToken={(t) => (saveToken(t), setToken(t))} />;
  const [, page = '', id, sub] = hash.split('/').map(decodeURIComponent);
  const view = (() => {
    switch (page) {
      case 'job': return id ? <Job key={id} client={client} id={id} /> : null;
      case 'report': return id ? <Report key={id} client={client} id={id} /> : null;
      case 'start': return <Start key={`${id}/${sub}`} client={client} what={id} model={sub} />;
      case 'models': return <Models client={client} />;
      case 'model': return id ? <ModelPage key={id} client={client} id={id} /> : null;
      case 'datasets': return <Datasets client={client} />;
      case 'compare': return <Compare client={client} />;
      case 'edge': return id ? <EdgeCheckPage key={id} client={client} id={id} /> : <EdgeChecks client={client} />;
      default: return null;
    }
  })();
  return (
    <>
      <nav>
        <b>Temper</b>
        {NAV.map(([p, label]) => <a key={p} href={`#/${p}`} class={page === p ? 'on' : ''}>{label}</a>)}
        <a href="/graphiql" target="_blank">GraphiQL</a>
        <span class="owner" data-testid="owner">{owner}</span> <button onClick={() => (saveToken(null), setToken(null))}>sign out</button>
      </nav>
      <main>{view ?? <Runs client={client} />}</main>
    </>
  );
}

render(<App />, document.getElementById('app')!);
