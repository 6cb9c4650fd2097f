import { useEffect, useState } from 'react';
import type { OperationOutput } from '../../shared/contract';
import type { ErrorShape } from '../../shared/errors';
import { REQUEST_ARTICLES, REQUEST_TYPES, type RequestType } from '../../shared/requests';
import { api } from './api';
import { RequestActions } from './RequestActions';
import { RequestDocuments } from './RequestDocuments';

type Summary = OperationOutput<'listRequests'>['requests'][number];
type Detail = OperationOutput<'getRequest'>;

/** The register: every request by due date with days left, a form to file one, and a request's timeline. */
export function RequestsPanel() {
  const [requests, setRequests] = useState<Summary[]>([]);
  const [detail, setDetail] = useState<Detail | null>(null);
  const [error, setError] = useState<ErrorShape | null>(null);
  const [type, setType] = useState<RequestType>('erasure');
  const [email, setEmail] = useState('');

  const load = async () => {
    const result = await api.listRequests({});
    if (result.ok) setRequests(result.value.requests);
    else setError(result.error);
  };
  useEffect(() => {
    void load();
  }, []);

  const file = async () => {
    const result = await api.createRequest({ type, email });
    if (!result.ok) return setError(result.error);
    setError(null);
    setEmail('');
    await load();
  };
  const open = async (id: string) => {
    const result = await api.getRequest({ id });
    if (result.ok) setDetail(result.value);
    else setError(result.error);
  };

  return (
    <section className="card" aria-labelledby="requests-title">
      <h2 id="requests-title">Data-subject requests</h2>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          void file();
        }}
      >
        <select value={type} onChange={(e) => setType(e.target.value as RequestType)} aria-label="Request type" data-testid="request-type">
          {REQUEST_TYPES.map((t) => (
            <option key={t} value={t}>
              {t} ({REQUEST_ARTICLES[t]})
            </option>
          ))}
        </select>
        <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} placeholder="subject's email address" aria-label="Subject's email address" data-testid="request-email" />
        <button type="submit" data-testid="request-file">
          File request
        </button>
      </form>
      {error && (
        <p role="alert" className="error">
          {error.message} <code>{error.code}</code>
        </p>
      )}
      {requests.length === 0 ? (
        <p className="muted">No requests yet.</p>
      ) : (
        <table className="grid" data-testid="requests">
          <thead>
            <tr>
              <th>Request</th>
              <th>Type</th>
              <th>Status</th>
              <th>Received</th>
              <th>Due</th>
              <th className="num">Days left</th>
            </tr>
          </thead>
          <tbody>
            {requests.map((r) => (
              <tr key={r.id} onClick={() => void open(r.id)}>
                <td>{r.id}</td>
                <td>{r.type}</td>
                <td>{r.status.replace(/_/g, ' ')}</td>
                <td>{new Date(r.received_at).toLocaleDateString()}</td>
                <td>
                  {new Date(r.due_at).toLocaleDateString()}
                  {r.extended ? ' (extended)' : ''}
                </td>
                <td className={`num ${r.overdue ? 'bad' : ''}`}>{r.overdue ? `overdue ${-r.days_left}` : r.days_left}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {detail && (
        <aside className="timeline" data-testid="request-detail" aria-label="Request timeline">
          <button type="button" className="close" onClick={() => setDetail(null)} aria-label="Close request">
            ×
          </button>
          <h3>
            {detail.id}: {detail.type} ({REQUEST_ARTICLES[detail.type]}), {detail.status.replace(/_/g, ' ')}
          </h3>
          <p className="muted small">
            Subject {detail.subject_email ?? `${detail.subject_masked} (full address purged)`} · due {new Date(detail.due_at).toLocaleString()}
          </p>
          <RequestActions
            request={detail}
            onChange={async () => {
              await load();
              await open(detail.id);
            }}
          />
          <RequestDocuments request={detail} onChange={async () => open(detail.id)} />
          <ol>
            {detail.timeline.map((e, i) => (
              <li key={i}>
                <strong>{e.action.replace(/_/g, ' ')}</strong> {new Date(e.at).toLocaleString()} by {e.by}
                {e.reason ? `: ${e.reason}` : ''}
              </li>
            ))}
          </ol>
        </aside>
      )}
    </section>
  );
}
