import { useState } from 'react';
import type { OperationOutput } from '../../shared/contract';
import type { ErrorShape } from '../../shared/errors';
import { api } from './api';

type Detail = OperationOutput<'getRequest'>;

interface Done {
  label: string;
  where: string;
  sha256: string;
}

/**
 * The documents of a request, written by the core into the data folder's documents/ (never over
 * an earlier copy); each button says where the file went and its SHA-256, which the audit log also holds.
 */
export function RequestDocuments({ request, onChange }: { request: Detail; onChange: () => Promise<void> }) {
  const [done, setDone] = useState<Done[]>([]);
  const [error, setError] = useState<ErrorShape | null>(null);
  const [busy, setBusy] = useState(false);
  const { id, status, type } = request;
  const ran = ['completed', 'partial'].includes(status);
  const replyDue = ran || status === 'refused' || (request.extended && !['completed', 'refused'].includes(status));

  const write = async (label: string, call: () => Promise<{ ok: true; value: { path?: string; dir?: string; sha256?: string; files?: { sha256: string }[] } } | { ok: false; error: ErrorShape }>) => {
    setBusy(true);
    const result = await call();
    setBusy(false);
    if (!result.ok) return setError(result.error);
    setError(null);
    const where = result.value.path ?? result.value.dir ?? '';
    setDone((list) => [{ label, where, sha256: result.value.sha256 ?? result.value.files?.[0]?.sha256 ?? '' }, ...list]);
    await onChange();
  };

  return (
    <div className="actions" data-testid="request-documents">
      <div className="row">
        <button type="button" disabled={busy} data-testid="write-evidence" onClick={() => void write('Evidence PDF', () => api.writeEvidence({ id }))}>
          Evidence PDF
        </button>
        {replyDue && (
          <button type="button" disabled={busy} data-testid="write-letter" onClick={() => void write('Reply to the subject', () => api.writeReplyLetter({ id }))}>
            Reply letter
          </button>
        )}
        {ran && type === 'erasure' && (
          <button type="button" disabled={busy} data-testid="write-processor-request" onClick={() => void write('Processor request to Zoom', () => api.writeProcessorRequest({ id }))}>
            Processor request PDF
          </button>
        )}
        {ran && (type === 'access' || type === 'portability') && (
          <button type="button" disabled={busy} data-testid="write-package" onClick={() => void write('Package for the subject', () => api.writeSubjectPackage({ id }))}>
            Package for the subject
          </button>
        )}
      </div>
      {error && (
        <p role="alert" className="error">
          {error.message} <code>{error.code}</code>
        </p>
      )}
      {done.length > 0 && (
        <ul className="small" data-testid="documents-written">
          {done.map((d) => (
            <li key={d.where}>
              {d.label} written to <code>{d.where}</code> (SHA-256 <code>{d.sha256.slice(0, 16)}…</code>)
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
