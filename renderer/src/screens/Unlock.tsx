import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { asDeskError, call, type DeskError } from '../call';
import { BusyButton, ErrorNote, Field } from '../components/ui';
import { useDesk } from '../desk-state';

/** This keychain holds no key for the store: the recovery key (the sheet's AGE-SECRET-KEY-1… line) puts it back. */
export function UnlockScreen({ detail }: { detail: DeskError }) {
  const { t } = useTranslation();
  const { load } = useDesk();
  const [identity, setIdentity] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<DeskError | null>(null);

  const unlock = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      await call('unlockStore', { identity });
      setIdentity('');
      await load();
    } catch (e) {
      setError(asDeskError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="app-error unlock" id="main">
      <h1 tabIndex={-1}>{t('unlock.title')}</h1>
      <p>{t('unlock.why')}</p>
      <p className="muted" data-testid="unlock-detail">
        {detail.message}
      </p>
      <form className="card narrow" onSubmit={(e) => void unlock(e)} data-testid="unlock-form">
        <Field label={t('unlock.key')} hint={t('unlock.keyHint')}>
          {(props) => <textarea {...props} rows={2} autoComplete="off" spellCheck={false} value={identity} onChange={(e) => setIdentity(e.target.value)} data-testid="unlock-identity" />}
        </Field>
        <BusyButton busy={busy} type="submit" className="primary" data-testid="unlock-submit">
          {t('unlock.submit')}
        </BusyButton>
        <ErrorNote error={error} />
      </form>
      <p className="muted">{t('unlock.noKey')}</p>
    </main>
  );
}
