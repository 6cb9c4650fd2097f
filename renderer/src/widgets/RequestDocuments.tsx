import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { asDeskError, call, type DeskError } from '../call';
import { BusyButton, ErrorNote } from '../components/ui';
import type { Detail } from '../request-detail';

interface Written {
  label: string;
  where: string;
  sha256: string;
  /** The files to download: one, or a package's three. */
  files: string[];
}

/** Hands a document the core wrote to the person: a download in the browser, a Save As dialog in the app. */
export async function downloadDocument(file: string): Promise<void> {
  const { name, media_type, base64 } = await call('readDocument', { path: file });
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: media_type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
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
  const ran = ['completed', 'partial', 'waiting_for_processor'].includes(status);
  const replyDue = ran || status === 'refused' || (request.extended && !['completed', 'refused'].includes(status));

  const write = async (label: string, run: () => Promise<{ path?: string; dir?: string; sha256?: string; files?: { path: string; sha256: string }[] }>) => {
    setBusy(true);
    try {
      const value = await run();
      setError(null);
      const files = value.files ? value.files.map((f) => f.path) : value.path ? [value.path] : [];
      setWritten((list) => [{ label, where: value.path ?? value.dir ?? '', sha256: value.sha256 ?? value.files?.[0]?.sha256 ?? '', files }, ...list]);
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
              {d.files.map((file) => (
                <button key={file} type="button" className="link block" onClick={() => void downloadDocument(file).catch((e: unknown) => setError(asDeskError(e)))} data-testid="download-document">
                  {t('documents.download', { name: file.split(/[\\/]/).pop() })}
                </button>
              ))}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
