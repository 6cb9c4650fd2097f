import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { REPLY_CHANNELS, REPLY_DOCUMENTS } from '../../../shared/requests';
import { asDeskError, call, type DeskError } from '../call';
import { Choice, ErrorNote, Field } from '../components/ui';
import { useReviewer } from '../desk-state';
import { useFormat } from '../format';
import type { Detail } from '../request-detail';

type Document = (typeof REPLY_DOCUMENTS)[number];
type Channel = (typeof REPLY_CHANNELS)[number];

/** Today's date as the date input reads it, in this computer's calendar. */
function today(): string {
  const now = new Date();
  return new Date(now.getTime() - now.getTimezoneOffset() * 60_000).toISOString().slice(0, 10);
}

/**
 * The request's file beyond its decisions: notes (the one made when it was filed included) and the
 * replies that went to the data subject (which document, when, how), each recorded under the
 * person working at the desk.
 */
export function RequestFile({ request, onChange }: { request: Detail; onChange: () => Promise<void> }) {
  const { t } = useTranslation();
  const f = useFormat();
  const operator = useReviewer();
  const [note, setNote] = useState('');
  const [document, setDocument] = useState<Document>('letter');
  const [channel, setChannel] = useState<Channel>('email');
  const [sentOn, setSentOn] = useState(today());
  const [error, setError] = useState<DeskError | null>(null);

  const act = async (event: FormEvent, run: () => Promise<unknown>) => {
    event.preventDefault();
    try {
      await run();
      setError(null);
      await onChange();
    } catch (e) {
      setError(asDeskError(e));
    }
  };
  // A reply sent today is recorded at this moment; an earlier day at its noon, never in the future.
  const sentAt = () => (sentOn === today() ? new Date() : new Date(`${sentOn}T12:00:00`)).toISOString();

  return (
    <section className="card" aria-labelledby="file-title" data-testid="request-file">
      <h2 id="file-title">{t('file.title')}</h2>
      <h3>{t('file.notes')}</h3>
      {request.notes.length === 0 ? (
        <p className="muted">{t('file.noNotes')}</p>
      ) : (
        <ul className="timeline-list" data-testid="request-notes">
          {request.notes.map((n, i) => (
            <li key={i}>
              {n.text}{' '}
              <span className="muted small">
                · {n.by} · {f.dateTime(n.at)}
              </span>
            </li>
          ))}
        </ul>
      )}
      <form
        className="row"
        onSubmit={(e) =>
          void act(e, async () => {
            await call('addRequestNote', { id: request.id, text: note.trim(), by: operator });
            setNote('');
          })
        }
      >
        <Field label={t('file.note')}>{(props) => <input {...props} value={note} onChange={(e) => setNote(e.target.value)} data-testid="note-text" />}</Field>
        <button type="submit" disabled={note.trim() === ''} data-testid="add-note">
          {t('file.addNote')}
        </button>
      </form>

      <h3>{t('file.replies')}</h3>
      {request.replies.length === 0 ? (
        <p className="muted">{t('file.noReplies')}</p>
      ) : (
        <ul className="timeline-list" data-testid="request-replies">
          {request.replies.map((r, i) => (
            <li key={i}>{t('file.replyLine', { document: t(`file.document.${r.document}`), channel: t(`file.channel.${r.channel}`), at: f.date(r.sent_at), by: r.by })}</li>
          ))}
        </ul>
      )}
      <form className="row" onSubmit={(e) => void act(e, () => call('recordReplySent', { id: request.id, document, channel, sent_at: sentAt(), by: operator }))}>
        <Choice label={t('file.whatWent')} value={document} options={REPLY_DOCUMENTS.map((d) => ({ value: d, label: t(`file.document.${d}`) }))} onChange={setDocument} testId="reply-document" />
        <Choice label={t('file.how')} value={channel} options={REPLY_CHANNELS.map((c) => ({ value: c, label: t(`file.channel.${c}`) }))} onChange={setChannel} testId="reply-channel" />
        <Field label={t('file.sentOn')}>{(props) => <input {...props} type="date" value={sentOn} max={today()} onChange={(e) => setSentOn(e.target.value)} data-testid="reply-date" />}</Field>
        <button type="submit" data-testid="record-reply">
          {t('file.recordReply')}
        </button>
      </form>
      <ErrorNote error={error} />
    </section>
  );
}
