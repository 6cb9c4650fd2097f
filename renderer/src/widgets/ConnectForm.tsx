import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { AccountName, DEFAULT_ACCOUNT } from '../../../shared/accounts';
import { asDeskError, call, type DeskError } from '../call';
import { ErrorNote, Field } from '../components/ui';

/**
 * Zoom's Server-to-Server OAuth credentials, kept under a name (several accounts in one desk): the
 * secret goes to the keychain and is never shown again.
 */
export function ConnectForm({ onConnected, initialName = DEFAULT_ACCOUNT }: { onConnected: (name: string) => void; initialName?: string }) {
  const { t } = useTranslation();
  const [name, setName] = useState(initialName);
  const [nameError, setNameError] = useState<string | null>(null);
  const [accountId, setAccountId] = useState('');
  const [clientId, setClientId] = useState('');
  const [secret, setSecret] = useState('');
  const [apiUrl, setApiUrl] = useState('https://api.zoom.us/v2');
  const [oauthUrl, setOauthUrl] = useState('https://zoom.us');
  const [subscriptionId, setSubscriptionId] = useState('');
  const [wsUrl, setWsUrl] = useState('wss://ws.zoom.us/ws');
  const [error, setError] = useState<DeskError | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    // The core's own rule for names, checked here to say it in the window's language.
    const named = AccountName.safeParse(name);
    setNameError(named.success ? null : t('connect.nameInvalid'));
    if (!named.success) return;
    setBusy(true);
    try {
      const subscription = subscriptionId.trim() ? { event_subscription_id: subscriptionId.trim(), ws_url: wsUrl } : {};
      await call('connectZoom', { name: named.data, account_id: accountId, client_id: clientId, client_secret: secret, api_url: apiUrl, oauth_url: oauthUrl, ...subscription });
      setSecret('');
      setError(null);
      onConnected(named.data);
    } catch (e) {
      setError(asDeskError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} data-testid="connect-form">
      <p className="hint">{t('connect.lead')}</p>
      <Field label={t('connect.name')} hint={t('connect.nameHint')} error={nameError}>
        {(props) => <input {...props} value={name} onChange={(e) => setName(e.target.value)} required autoComplete="off" data-testid="connect-name" />}
      </Field>
      <Field label={t('connect.accountId')}>{(props) => <input {...props} value={accountId} onChange={(e) => setAccountId(e.target.value)} required autoComplete="off" />}</Field>
      <Field label={t('connect.clientId')}>{(props) => <input {...props} value={clientId} onChange={(e) => setClientId(e.target.value)} required autoComplete="off" />}</Field>
      <Field label={t('connect.clientSecret')} hint={t('connect.secretHint')}>
        {(props) => <input {...props} type="password" value={secret} onChange={(e) => setSecret(e.target.value)} required autoComplete="off" />}
      </Field>
      <details>
        <summary>{t('connect.advanced')}</summary>
        <Field label={t('connect.apiUrl')}>{(props) => <input {...props} value={apiUrl} onChange={(e) => setApiUrl(e.target.value)} />}</Field>
        <Field label={t('connect.oauthUrl')}>{(props) => <input {...props} value={oauthUrl} onChange={(e) => setOauthUrl(e.target.value)} />}</Field>
        <Field label={t('connect.subscriptionId')} hint={t('connect.subscriptionHint')}>
          {(props) => <input {...props} value={subscriptionId} onChange={(e) => setSubscriptionId(e.target.value)} autoComplete="off" />}
        </Field>
        <Field label={t('connect.wsUrl')}>{(props) => <input {...props} value={wsUrl} onChange={(e) => setWsUrl(e.target.value)} />}</Field>
      </details>
      <button type="submit" className="primary" disabled={busy} data-testid="connect">
        {busy ? t('connect.checking') : t('connect.submit')}
      </button>
      <ErrorNote error={error} testId="connect-error" />
    </form>
  );
}
