import { useState } from 'react';
import type { OperationOutput } from '../../shared/contract';
import type { ErrorShape } from '../../shared/errors';
import { REFUSAL_ARTICLES } from '../../shared/requests';
import { describeResidual } from '../../shared/jobs';
import { api } from './api';

type Detail = OperationOutput<'getRequest'>;
type JobResult = OperationOutput<'runJob'>;

const REVIEWER_KEY = 'dsr-desk-reviewer';

/**
 * The decisions a request in its current state allows: the same moves, and the same refusals, as
 * the CLI's, each recorded with the reviewer's name. The core decides what is allowed; the buttons
 * only spare a person from asking for what it would refuse.
 */
export function RequestActions({ request, onChange }: { request: Detail; onChange: () => Promise<void> }) {
  const [reviewer, setReviewer] = useState(() => localStorage.getItem(REVIEWER_KEY) ?? '');
  const [text, setText] = useState('');
  const [article, setArticle] = useState<(typeof REFUSAL_ARTICLES)[number]>('12(5)');
  const [notifiedAt, setNotifiedAt] = useState('');
  const [error, setError] = useState<ErrorShape | null>(null);
  const [job, setJob] = useState<JobResult | null>(null);
  const [busy, setBusy] = useState(false);

  const act = async (run: () => Promise<{ ok: true } | { ok: false; error: ErrorShape }>) => {
    localStorage.setItem(REVIEWER_KEY, reviewer);
    setBusy(true);
    const result = await run();
    setBusy(false);
    setError(result.ok ? null : result.error);
    if (result.ok) setText('');
    await onChange();
  };
  const by = reviewer.trim();
  const { id, status } = request;
  const open = !['completed', 'refused'].includes(status);

  return (
    <div className="actions" data-testid="request-actions">
      <div className="row">
        <label>
          Your name <input value={reviewer} onChange={(e) => setReviewer(e.target.value)} data-testid="reviewer" />
        </label>
        <label className="grow">
          Method, note or reason <input value={text} onChange={(e) => setText(e.target.value)} data-testid="action-text" />
        </label>
      </div>
      <div className="row">
        {status === 'received' && (
          <button type="button" disabled={busy} onClick={() => void act(() => api.verifyIdentity({ id, method: text, by }))} data-testid="verify-identity">
            Identity verified
          </button>
        )}
        {status === 'identity_verified' && (
          <button type="button" disabled={busy} onClick={() => void act(() => api.approveRequest({ id, by, ...(text.trim() ? { note: text } : {}) }))} data-testid="approve">
            Approve
          </button>
        )}
        {(status === 'received' || status === 'identity_verified') && (
          <>
            <select value={article} onChange={(e) => setArticle(e.target.value as typeof article)} aria-label="Article relied on">
              {REFUSAL_ARTICLES.map((a) => (
                <option key={a}>{a}</option>
              ))}
            </select>
            <button type="button" disabled={busy} onClick={() => void act(() => api.refuseRequest({ id, by, reason: text, article }))}>
              Refuse
            </button>
          </>
        )}
        {['approved', 'partial', 'failed', 'running'].includes(status) && (
          <button
            type="button"
            disabled={busy}
            data-testid="run-job"
            onClick={() =>
              void act(async () => {
                const result = await api.runJob({ id });
                if (result.ok) setJob(result.value);
                return result;
              })
            }
          >
            {status === 'approved' ? 'Run job' : 'Resume job'}
          </button>
        )}
        {open && !request.extended && (
          <>
            <input type="datetime-local" value={notifiedAt} onChange={(e) => setNotifiedAt(e.target.value)} aria-label="When the subject was told" />
            <button
              type="button"
              disabled={busy || !notifiedAt}
              onClick={() => void act(() => api.extendRequest({ id, by, reason: text, notified_at: new Date(notifiedAt).toISOString() }))}
            >
              Extend (subject told)
            </button>
          </>
        )}
        {status === 'on_hold' ? (
          <button type="button" disabled={busy} onClick={() => void act(() => api.resumeRequest({ id, by }))}>
            Resume
          </button>
        ) : (
          ['received', 'identity_verified', 'approved', 'partial', 'failed'].includes(status) && (
            <button type="button" disabled={busy} onClick={() => void act(() => api.holdRequest({ id, by, reason: text }))}>
              Hold
            </button>
          )
        )}
      </div>
      {error && (
        <p role="alert" className="error">
          {error.message} <code>{error.code}</code>
        </p>
      )}
      {job && (
        <div data-testid="job-result">
          <h4>Job: {job.status}{job.resume_at ? `, resumes after ${new Date(job.resume_at).toLocaleString()}` : ''}</h4>
          <ul>
            {job.steps
              .filter((s) => s.source === 'registrant')
              .map((s) => (
                <li key={`${s.webinar_id}/${s.registrant_id}/${s.occurrence_id ?? ''}`}>
                  Webinar {s.webinar_id}: {s.actions.map((a) => `${a.action.replace(/_/g, ' ')} ${a.result}`).join(', ')} —{' '}
                  <strong className={s.verified ? 'good' : 'bad'}>{s.verified ? (request.type === 'erasure' ? 'verified gone' : 'verified') : s.handed_to_processor ? 'Zoom refused: named in the processor request' : 'not verified'}</strong>
                </li>
              ))}
          </ul>
          {job.residual.length > 0 && (
            <div className="small">
              Left with Zoom, its API can't erase them:
              <ul>
                {job.residual.map((r) => (
                  <li key={`${r.source}/${r.webinar_id}/${r.registrant_id ?? ''}`}>{describeResidual(r)}</li>
                ))}
              </ul>
              A processor request to Zoom is prepared{job.processor_task ? ` (task ${job.processor_task.id}, ${job.processor_task.status})` : ''}.
            </div>
          )}
        </div>
      )}
    </div>
  );
}
