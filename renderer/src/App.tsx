import { useEffect } from 'react';
import { RegistrantsPanel } from './RegistrantsPanel';
import { RequestsPanel } from './RequestsPanel';
import { useStatus } from './state';
import { SyncPanel } from './SyncPanel';
import { WebinarsPanel } from './WebinarsPanel';

export function App() {
  const { status, zoom, error, loading, load } = useStatus();
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
      {zoom && (
        <section className="card" aria-labelledby="zoom-title">
          <h2 id="zoom-title">Zoom</h2>
          {zoom.connected ? (
            <dl className="facts">
              <dt>Account</dt>
              <dd data-testid="zoom-account">{zoom.account_id}</dd>
              <dt>API</dt>
              <dd>{zoom.api_url}</dd>
            </dl>
          ) : (
            <p data-testid="zoom-account">
              Not connected. Connect with <code>dsr-desk connect</code>; the credentials stay in your OS keychain.
            </p>
          )}
        </section>
      )}
      {status && (
        <>
          <RequestsPanel />
          <SyncPanel connected={zoom?.connected ?? false} />
          <WebinarsPanel />
          <RegistrantsPanel />
        </>
      )}
    </main>
  );
}
