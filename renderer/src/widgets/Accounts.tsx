import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DEFAULT_ACCOUNT } from '../../../shared/accounts';
import type { OperationOutput } from '../../../shared/contract';
import { asDeskError, call, type DeskError } from '../call';
import { BusyButton, Dialog, ErrorNote } from '../components/ui';
import { useDesk } from '../desk-state';
import { useFormat } from '../format';
import { useLoad } from '../use-load';
import { ConnectForm } from './ConnectForm';

type Account = OperationOutput<'listAccounts'>['accounts'][number];

/**
 * The Zoom accounts this desk mirrors: each with its Zoom account ID, API, when it was connected
 * and last synced; another one connected under a name, one disconnected (its records stay,
 * marked, until the retention rules remove them).
 */
export function AccountsCard() {
  const { t } = useTranslation();
  const f = useFormat();
  const { mode, load } = useDesk();
  const [version, setVersion] = useState(0);
  const { data, error: loadError } = useLoad(() => call('listAccounts', {}), [version]);
  const [connecting, setConnecting] = useState(false);
  const [leaving, setLeaving] = useState<{ account: Account; records: number | null } | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<DeskError | null>(null);
  const accounts = data?.accounts ?? [];
  const changed = (note: string | null) => {
    setDone(note);
    setVersion((v) => v + 1);
    void load();
  };

  // The confirmation names how many records stay behind: the mirror's own count of the account's rows.
  const askToDisconnect = async (account: Account) => {
    setDone(null);
    setLeaving({ account, records: null });
    const page = await call('listRegistrants', { account: account.name, limit: 1 }).catch(() => null);
    setLeaving((current) => (current?.account.name === account.name ? { account, records: page?.total ?? null } : current));
  };
  const disconnect = async () => {
    if (!leaving) return;
    setBusy(true);
    try {
      const gone = await call('disconnectAccount', { name: leaving.account.name });
      setLeaving(null);
      setError(null);
      changed(t('accounts.disconnectedNote', { name: gone.name, count: gone.records_kept, n: f.number(gone.records_kept) }));
    } catch (e) {
      setError(asDeskError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="zoom-title" data-testid="accounts">
      <h2 id="zoom-title">{t('accounts.title')}</h2>
      <ErrorNote error={loadError} />
      {data && accounts.length === 0 && <p>{t('settings.notConnected')}</p>}
      {accounts.length > 0 && (
        <table className="grid" data-testid="account-table">
          <caption className="sr-only">{t('accounts.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('accounts.name')}</th>
              <th scope="col">{t('connect.accountId')}</th>
              <th scope="col">{t('connect.apiUrl')}</th>
              <th scope="col">{t('accounts.connectedAt')}</th>
              <th scope="col">{t('accounts.lastSync')}</th>
              {mode === 'live' && <th scope="col">{t('accounts.actions')}</th>}
            </tr>
          </thead>
          <tbody>
            {accounts.map((a) => (
              <tr key={a.name} data-testid="account-row">
                <th scope="row">{a.name}</th>
                <td>{mode === 'sandbox' ? t('sandbox.account') : a.account_id}</td>
                <td className="api-url">{a.api_url}</td>
                <td>{f.dateTime(a.connected_at)}</td>
                <td>{a.last_sync_at ? f.dateTime(a.last_sync_at) : t('accounts.never')}</td>
                {mode === 'live' && (
                  <td>
                    <button type="button" onClick={() => void askToDisconnect(a)} aria-label={t('accounts.disconnectOne', { name: a.name })} data-testid={`disconnect-${a.name}`}>
                      {t('accounts.disconnect')}
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {data && data.disconnected.length > 0 && (
        <>
          <h3>{t('accounts.disconnectedTitle')}</h3>
          <p className="hint">{t('accounts.disconnectedHint')}</p>
          <ul data-testid="disconnected-accounts">
            {data.disconnected.map((a) => (
              <li key={a.name}>
                <strong>{a.name}</strong> · {a.account_id} · {t('accounts.disconnectedOn', { date: f.dateTime(a.disconnected_at) })}
              </li>
            ))}
          </ul>
        </>
      )}
      {done && (
        <p className="ok-note" role="status" data-testid="accounts-done">
          {done}
        </p>
      )}
      <ErrorNote error={error} />
      {mode === 'live' &&
        (connecting ? (
          <ConnectForm
            // The first account is the default one (it holds the live events); another needs a name of its own.
            initialName={accounts.length === 0 ? DEFAULT_ACCOUNT : ''}
            onConnected={(name) => {
              setConnecting(false);
              changed(t('accounts.connectedNote', { name }));
            }}
          />
        ) : (
          <p>
            <button type="button" onClick={() => setConnecting(true)} data-testid="connect-another">
              {accounts.length > 0 ? t('accounts.connectAnother') : t('connect.submit')}
            </button>
          </p>
        ))}
      <Dialog open={leaving !== null} title={t('accounts.confirmTitle', { name: leaving?.account.name ?? '' })} onClose={() => setLeaving(null)} testId="dialog-disconnect">
        {leaving && (
          <>
            <p>{t('accounts.confirmText', { name: leaving.account.name, id: leaving.account.account_id })}</p>
            <p className="warn-note">{leaving.records === null ? t('accounts.confirmRecordsUnknown') : t('accounts.confirmRecords', { count: leaving.records, n: f.number(leaving.records) })}</p>
            <div className="row dialog-buttons">
              <BusyButton className="danger" busy={busy} onClick={() => void disconnect()} data-testid="confirm-disconnect">
                {t('accounts.confirm', { name: leaving.account.name })}
              </BusyButton>
              <button type="button" onClick={() => setLeaving(null)}>
                {t('accounts.keep')}
              </button>
            </div>
          </>
        )}
      </Dialog>
    </section>
  );
}
