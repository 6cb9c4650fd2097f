import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { OperationOutput } from '../../../shared/contract';
import { CHANNELS, SubjectAddress, REQUEST_ARTICLE, REQUEST_TYPES, type RequestType } from '../../../shared/requests';
import { LANGUAGES, type Language } from '../../../shared/settings';
import { asDeskError, call, type DeskError } from '../call';
import { Choice, ErrorNote, Field } from '../components/ui';
import { useDesk, useReviewer } from '../desk-state';
import { useFormat } from '../format';
import { hrefOf, navigate } from '../router';

/** The same check the core makes when the request is filed (SubjectAddress), run as the person types. */
const isWholeAddress = (email: string) => SubjectAddress.safeParse(email).success;
type Summary = OperationOutput<'findOpenRequests'>['requests'][number];

/** A new request: checked before it is filed (a whole address, a received date not in the future, a duplicate flagged). */
export function NewRequest({ email: initialEmail }: { email: string | null }) {
  const { t } = useTranslation();
  const f = useFormat();
  const reviewer = useReviewer();
  const replyLanguage = useDesk((s) => s.settings?.language ?? 'en');
  const [type, setType] = useState<RequestType>('erasure');
  const [email, setEmail] = useState(initialEmail ?? '');
  const [received, setReceived] = useState(f.day(new Date()));
  const [channel, setChannel] = useState<(typeof CHANNELS)[number]>('email');
  const [language, setLanguage] = useState<Language>(replyLanguage);
  const [note, setNote] = useState('');
  const [touched, setTouched] = useState(false);
  const [duplicates, setDuplicates] = useState<Summary[]>([]);
  const [error, setError] = useState<DeskError | null>(null);
  const [busy, setBusy] = useState(false);

  const emailError = touched && !isWholeAddress(email) ? t('newRequest.badEmail') : null;
  const today = f.day(new Date());
  const dateError = !touched ? null : !/^\d{4}-\d{2}-\d{2}$/.test(received) ? t('newRequest.badDate') : received > today ? t('newRequest.futureDate') : null;

  // A duplicate is flagged, not refused: a subject may send the same request twice, the reviewer decides.
  useEffect(() => {
    if (!isWholeAddress(email)) return setDuplicates([]);
    const timer = setTimeout(() => {
      call('findOpenRequests', { email: email.trim() })
        .then((found) => setDuplicates(found.requests))
        .catch(() => setDuplicates([]));
    }, 250);
    return () => clearTimeout(timer);
  }, [email]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (!isWholeAddress(email) || !/^\d{4}-\d{2}-\d{2}$/.test(received) || received > today) return;
    setBusy(true);
    try {
      // Received today: now; an earlier day: its noon in the register's zone (the deadline counts days, not hours).
      const receivedAt = received === today ? undefined : f.noonOf(received);
      const created = await call('createRequest', { type, email: email.trim(), received_at: receivedAt, channel, language, note: note.trim() || undefined, by: reviewer });
      navigate({ name: 'request', id: created.id });
    } catch (e) {
      setError(asDeskError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="new-request-title">
      <h1 id="new-request-title" tabIndex={-1}>
        {t('newRequest.title')}
      </h1>
      <form className="card narrow" onSubmit={(e) => void submit(e)} noValidate data-testid="new-request-form">
        <Choice
          label={t('requests.type')}
          value={type}
          options={REQUEST_TYPES.map((ty) => ({ value: ty, label: `${t(`type.${ty}`)} (${f.art(REQUEST_ARTICLE[ty])})` }))}
          onChange={setType}
          testId="request-type"
        />
        <Field label={t('newRequest.email')} error={emailError} hint={t('newRequest.emailHint')}>
          {(props) => <input {...props} type="email" value={email} onChange={(e) => setEmail(e.target.value)} onBlur={() => setTouched(true)} autoComplete="off" data-testid="request-email" />}
        </Field>
        {duplicates.length > 0 && (
          <div className="warn-note" role="status" data-testid="duplicate-warning">
            <p>{t('newRequest.duplicate', { count: duplicates.length })}</p>
            <ul>
              {duplicates.map((d) => (
                <li key={d.id}>
                  <a href={hrefOf({ name: 'request', id: d.id })}>{d.id}</a> · {t(`type.${d.type}`)} · {t(`status.${d.status}`)} · {f.date(d.received_at)}
                </li>
              ))}
            </ul>
          </div>
        )}
        <Field label={t('newRequest.received', { zone: f.timeZone })} error={dateError}>
          {(props) => <input {...props} type="date" value={received} max={today} onChange={(e) => setReceived(e.target.value)} data-testid="request-received" />}
        </Field>
        <Choice label={t('newRequest.channel')} value={channel} options={CHANNELS.map((c) => ({ value: c, label: t(`channel.${c}`) }))} onChange={setChannel} />
        <Choice label={t('newRequest.replyLanguage')} value={language} options={LANGUAGES.map((l) => ({ value: l, label: t(`language.${l}`) }))} onChange={setLanguage} />
        <Field label={t('newRequest.note')} hint={t('newRequest.noteHint')}>
          {(props) => <textarea {...props} value={note} onChange={(e) => setNote(e.target.value)} rows={3} />}
        </Field>
        <p className="hint">{t('newRequest.filedBy', { name: reviewer })}</p>
        <button type="submit" className="primary" disabled={busy} data-testid="file-request">
          {t('newRequest.submit')}
        </button>
        <ErrorNote error={error} />
      </form>
    </section>
  );
}
