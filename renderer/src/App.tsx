import { useEffect } from 'react';
import { useStatus } from './state';

export function App() {
  const { status, error, loading, load } = useStatus();
  useEffect(() => {
    void load();
  }, [load]);

  return (
    <main className="app">
      <header className="app-header">
        <h1>DSR Desk</h1>
        <p className="tagline">Data-subject requests for Zoom webinars, from your own machine.</p>
      </header>
      <section className="card" aria-labelledby="store-title">
        <h2 id="store-title">Encrypted store</h2>
        {loading && !status && <p role="status">Opening the store…</p>}
        {error && (
          <p role="alert" className="error" data-testid="store-error">
            {error.message} <code>{error.code}</code>
          </p>
        )}
        {status && (
          <dl className="facts">
            <dt>Database</dt>
            <dd data-testid="store-path">{status.path}</dd>
            <dt>Encrypted</dt>
            <dd data-testid="store-encrypted" className={status.encrypted ? 'good' : 'bad'}>
              {status.encrypted ? `Yes (${status.cipher})` : 'No'}
            </dd>
            <dt>Schema version</dt>
            <dd data-testid="store-schema">
              {status.schema_version} of {status.latest_schema_version}
            </dd>
            <dt>Created</dt>
            <dd>{new Date(status.created_at).toLocaleString()}</dd>
          </dl>
        )}
      </section>
    </main>
  );
}
