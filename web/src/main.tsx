import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { operations as ops } from '@temper/clients';
import { Compare } from './compare.tsx';
import { Job, Models, Report, Runs } from './pages.tsx';
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

function App() {
  const [token, setToken] = useState(storedToken());
  const [owner, setOwner] = useState('');
  const hash = useHash();
  const client = token ? clientFor(token) : null;
  useEffect(() => void client?.request(ops.WhoAmIQuery).then((d) => setOwner(d.viewer.name)), [token]);
  if (!client) return <SignIn onToken={(t) => (saveToken(t), setToken(t))} />;
  const [, page, id] = hash.split('/').map(decodeURIComponent);
  return (
    <>
      <nav>
        <b>Temper</b> <a href="#/">Runs</a> <a href="#/models">Models</a> <a href="#/compare">Compare</a> <a href="/graphiql" target="_blank">GraphiQL</a>
        <span class="owner" data-testid="owner">{owner}</span> <button onClick={() => (saveToken(null), setToken(null))}>sign out</button>
      </nav>
      <main>
        {page === 'job' && id ? <Job key={id} client={client} id={id} /> : page === 'report' && id ? <Report key={id} client={client} id={id} /> : page === 'compare' ? <Compare client={client} /> : page === 'models' ? <Models client={client} /> : <Runs client={client} />}
      </main>
    </>
  );
}

render(<App />, document.getElementById('app')!);
