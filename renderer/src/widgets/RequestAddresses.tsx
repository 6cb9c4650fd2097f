import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { refusalOf, SubjectAddress } from '../../../shared/requests';
import { asDeskError, call, type DeskError } from '../call';
import { Dialog, ErrorNote, Field } from '../components/ui';
import { useReviewer } from '../desk-state';
import { useFormat } from '../format';
import type { Detail } from '../request-detail';
import { useLoad } from '../use-load';
import { VerifyForm } from './RequestDecisions';

/**
 * The person behind a request and the addresses they used (issue 28): each address with its own
 * identity check, a way to add one before the job runs, and the addresses under which someone
 * registered with the subject's name, for the DPO to accept or dismiss. Nothing is erased on a
 * name alone: accepting adds the address, whose identity is then checked like any other.
 */
export function RequestAddresses({ request, onChange }: { request: Detail; onChange: () => Promise<void> }) {
  const { t } = useTranslation();
  const f = useFormat();
  const [verifying, setVerifying] = useState<string | null>(null);
  const canVerify = refusalOf('verify_identity', request.status, request.hold?.from ?? null) === null;
  const canAdd = refusalOf('add_address', request.status, request.hold?.from ?? null) === null;
  const done = async () => {
    setVerifying(null);
    await onChange();
  };

  return (
    <section className="card wide" aria-labelledby="addresses-title" data-testid="request-addresses">
      <h2 id="addresses-title">{t('addresses.title')}</h2>
      <p className="hint">{t('addresses.explain')}</p>
      <ul className="address-list">
        {request.addresses.map((a, i) => (
          <li key={a.subject_hash} data-testid="request-address">
            <strong id={`address-${i + 1}`}>{a.email ?? a.masked}</strong>
            {a.via !== 'filed' && <span className="muted small"> · {t(`addresses.via.${a.via}`, { by: a.added_by })}</span>}
            <span className="block" data-testid="address-identity">
              {a.identity
                ? t('addresses.checked', { method: t(`identityMethod.${a.identity.method}`, { defaultValue: a.identity.method }), by: a.identity.by, at: f.dateTime(a.identity.at) })
                : t('addresses.unchecked')}
            </span>
            {!a.identity && canVerify && a.email && (
              <button type="button" onClick={() => setVerifying(a.email)} aria-describedby={`address-${i + 1}`} data-testid={`verify-address-${i + 1}`}>
                {t('addresses.verify')}
              </button>
            )}
          </li>
        ))}
      </ul>
      <Dialog open={verifying !== null} title={t('addresses.verifyTitle', { email: verifying ?? '' })} onClose={() => setVerifying(null)} testId="dialog-verify-address">
        {verifying && <VerifyForm request={request} email={verifying} onDone={done} onCancel={() => setVerifying(null)} />}
      </Dialog>
      {canAdd ? <AddAddress request={request} onChange={onChange} /> : <p className="muted small">{t('addresses.closed')}</p>}
      <Suggestions request={request} onChange={onChange} canAdd={canAdd} />
    </section>
  );
}

function AddAddress({ request, onChange }: { request: Detail; onChange: () => Promise<void> }) {
  const { t } = useTranslation();
  const reviewer = useReviewer();
  const [email, setEmail] = useState('');
  const [error, setError] = useState<DeskError | null>(null);
  const [busy, setBusy] = useState(false);
  const whole = SubjectAddress.safeParse(email).success;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!whole) return;
    setBusy(true);
    setError(null);
    try {
      await call('addRequestAddress', { id: request.id, email, by: reviewer });
      setEmail('');
      await onChange();
    } catch (e) {
      setError(asDeskError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="row" onSubmit={(e) => void submit(e)}>
      <Field label={t('addresses.newAddress')} hint={request.status === 'received' ? undefined : t('addresses.backToReceived')}>
        {(props) => <input {...props} type="email" value={email} onChange={(e) => setEmail(e.target.value)} autoComplete="off" data-testid="add-address-email" />}
      </Field>
      <button type="submit" disabled={busy || !whole} data-testid="add-address-submit">
        {t('addresses.add')}
      </button>
      <ErrorNote error={error} testId="add-address-error" />
    </form>
  );
}

function Suggestions({ request, onChange, canAdd }: { request: Detail; onChange: () => Promise<void>; canAdd: boolean }) {
  const { t } = useTranslation();
  const f = useFormat();
  const reviewer = useReviewer();
  // Reloaded with the request: an address added or a job run changes what is suggested.
  const { data, error, reload } = useLoad(() => call('listSuggestions', { id: request.id }), [request.id, request.addresses.length, request.status]);
  const [acting, setActing] = useState<DeskError | null>(null);
  const decide = async (email: string, decision: 'accept' | 'dismiss') => {
    setActing(null);
    try {
      await call('decideSuggestion', { id: request.id, email, decision, by: reviewer });
      await reload();
      await onChange();
    } catch (e) {
      setActing(asDeskError(e));
    }
  };
  const suggestions = data?.suggestions ?? [];
  return (
    <section aria-labelledby="suggestions-title" data-testid="suggestions">
      <h3 id="suggestions-title">{t('addresses.suggestions.title')}</h3>
      <p className="hint">{t('addresses.suggestions.explain')}</p>
      <ErrorNote error={error ?? acting} testId="suggestions-error" />
      {data && suggestions.length === 0 && <p className="muted">{t('addresses.suggestions.none')}</p>}
      <ul className="address-list">
        {suggestions.map((s, i) => (
          <li key={s.email} data-testid="suggestion" data-state={s.state}>
            <strong id={`suggestion-${i + 1}`}>{s.email}</strong>
            {s.name && <span> · {s.name}</span>}
            {s.sources > 0 && (
              <span className="muted small">
                {' · '}
                {[
                  `${t('addresses.suggestions.sources', { count: s.sources })} ${t('addresses.suggestions.events', { count: s.events.length })}`,
                  ...[...new Set(s.events.map((e) => e.account).filter(Boolean))].map((account) => t('addresses.suggestions.accounts', { accounts: account })),
                ].join(' · ')}
              </span>
            )}
            <span className="block">
              {s.state === 'open' ? t('addresses.suggestions.open') : t(`addresses.suggestions.${s.state}`, { by: s.decided_by, at: s.decided_at ? f.dateTime(s.decided_at) : '' })}
            </span>
            {s.state === 'open' && (
              <span className="row">
                {canAdd && (
                  <button type="button" className="primary" onClick={() => void decide(s.email, 'accept')} aria-describedby={`suggestion-${i + 1}`} data-testid="suggestion-accept">
                    {t('addresses.suggestions.accept')}
                  </button>
                )}
                <button type="button" onClick={() => void decide(s.email, 'dismiss')} aria-describedby={`suggestion-${i + 1}`} data-testid="suggestion-dismiss">
                  {t('addresses.suggestions.dismiss')}
                </button>
              </span>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
