import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { asDeskError, call, type DeskError } from '../call';
import { BusyButton, ErrorNote } from '../components/ui';
import type { Detail } from './RequestPage';

interface Written {
  label: string;
  where: string;
  sha256: string;
}

/**
 * The documents of a request, written by the core into the data folder's documents/ (never over
 * an earlier copy); each button says where the file went and its SHA-256, which the audit log also holds.
 */
export function RequestDocuments({ request, onChange }: { request: Detail; onChange: () => Promise<void> }) {
  const { t } = useTranslation();
  const [written, setWritten] = useState<Written[]>([]);
  const [error, setError] = useState<DeskError | null>(null);
  const [busy, setBusy] = useState(false);
  const { id, status, type } = request;
  const ran = ['completed', 'partial'].includes(status);
  const replyDue = ran || status === 'refused' || (request.extended && !['completed', 'refused'].includes(status));

  const write = async (label: string, run: () => Promise<{ path?: string; dir?: string; sha256?: string; files?: { sha256: string }[] }>) => {
    setBusy(true);
    try {
      const value = await run();
      setError(null);
      setWritten((list) => [{ label, where: value.path ?? value.dir ?? '', sha256: value.sha256 ?? value.files?.[0]?.sha256 ?? '' }, ...list]);
      await onChange();
    } catch (e) {
      setError(asDeskError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="documents-title" data-testid="request-documents">
      <h2 id="documents-title">{t('documents.title')}</h2>
      <div className="row">
        <BusyButton busy={busy} data-testid="write-evidence" onClick={() => void write(t('documents.evidence'), () => call('writeEvidence', { id }))}>
          {t('documents.evidence')}
        </BusyButton>
        {replyDue && (
          <BusyButton busy={busy} data-testid="write-letter" onClick={() => void write(t('documents.letter'), () => call('writeReplyLetter', { id }))}>
            {t('documents.letter')}
          </BusyButton>
        )}
        {ran && type === 'erasure' && (
          <BusyButton busy={busy} data-testid="write-processor-request" onClick={() => void write(t('documents.processor'), () => call('writeProcessorRequest', { id }))}>
            {t('documents.processor')}
          </BusyButton>
        )}
        {ran && (type === 'access' || type === 'portability') && (
          <BusyButton busy={busy} data-testid="write-package" onClick={() => void write(t('documents.package'), () => call('writeSubjectPackage', { id }))}>
            {t('documents.package')}
          </BusyButton>
        )}
      </div>
      <ErrorNote error={error} />
      {written.length > 0 && (
        <ul className="small" data-testid="documents-written" aria-live="polite">
          {written.map((d) => (
            <li key={d.where}>
              {t('documents.writtenTo', { label: d.label })} <code>{d.where}</code> ({t('documents.sha')} <code>{d.sha256.slice(0, 16)}…</code>)
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
