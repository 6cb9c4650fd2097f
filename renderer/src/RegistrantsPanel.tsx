import { useEffect } from 'react';
import { CHANGE_DESCRIPTIONS } from '../../shared/changes';
import { REGISTRANT_FILTERS, REGISTRANT_SORTS } from '../../shared/mirror';
import { PAGE_SIZE, useMirror } from './mirror-state';

const SORT_LABELS: Record<(typeof REGISTRANT_SORTS)[number], string> = {
  create_time: 'Registered on Zoom',
  email: 'Email',
  last_name: 'Last name',
  status: 'Status',
  first_seen: 'First synced',
};
const FILTER_LABELS: Record<(typeof REGISTRANT_FILTERS)[number], string> = {
  all: 'All',
  approved: 'Approved',
  pending: 'Pending',
  denied: 'Denied',
  gone: 'No longer listed',
};

/** One page of registrants (of one webinar or all), filtered and sorted by the core, with each one's timeline. */
export function RegistrantsPanel() {
  const { page, query, webinarId, timeline, setQuery, loadPage, openTimeline, closeTimeline } = useMirror();
  useEffect(() => {
    void loadPage();
  }, [loadPage]);

  const first = page && page.total > 0 ? query.offset + 1 : 0;
  const last = page ? Math.min(query.offset + PAGE_SIZE, page.total) : 0;

  return (
    <section className="card" aria-labelledby="registrants-title">
      <h2 id="registrants-title">Registrants {webinarId ? `of webinar ${webinarId}` : 'of all webinars'}</h2>
      <div className="row filters">
        <label>
          Status{' '}
          <select value={query.status} onChange={(e) => void setQuery({ status: e.target.value as typeof query.status })} data-testid="filter-status">
            {REGISTRANT_FILTERS.map((f) => (
              <option key={f} value={f}>
                {FILTER_LABELS[f]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Sort by{' '}
          <select value={query.sort} onChange={(e) => void setQuery({ sort: e.target.value as typeof query.sort })}>
            {REGISTRANT_SORTS.map((s) => (
              <option key={s} value={s}>
                {SORT_LABELS[s]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Email starts with <input type="search" value={query.email_prefix} onChange={(e) => void setQuery({ email_prefix: e.target.value })} data-testid="filter-email" />
        </label>
      </div>
      {page && (
        <>
          <table className="grid" data-testid="registrants">
            <thead>
              <tr>
                <th>Email</th>
                <th>Name</th>
                <th>Status on Zoom</th>
                <th>Last change</th>
              </tr>
            </thead>
            <tbody>
              {page.rows.map((r) => (
                <tr key={`${r.webinar_id}/${r.registrant_id}`} onClick={() => void openTimeline(r.webinar_id, r.registrant_id)}>
                  <td>{r.suppressed ? <em className="muted">erased subject (no personal data kept)</em> : r.email}</td>
                  <td>{[r.first_name, r.last_name].filter(Boolean).join(' ')}</td>
                  <td>{r.present ? r.status : <span className="muted">no longer listed (was {r.status})</span>}</td>
                  <td title={r.last_change ? CHANGE_DESCRIPTIONS[r.last_change.kind] : undefined}>
                    {r.last_change ? `${r.last_change.kind.replace(/_/g, ' ')}, ${new Date(r.last_change.observed_at).toLocaleDateString()}` : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="row pager">
            <span data-testid="registrants-range">
              {first}–{last} of {page.total}
            </span>
            <button type="button" disabled={query.offset === 0} onClick={() => void setQuery({ offset: Math.max(0, query.offset - PAGE_SIZE) })}>
              Previous
            </button>
            <button type="button" disabled={last >= page.total} onClick={() => void setQuery({ offset: query.offset + PAGE_SIZE })}>
              Next
            </button>
          </div>
        </>
      )}
      {timeline && (
        <aside className="timeline" data-testid="timeline" aria-label="Registrant timeline">
          <button type="button" className="close" onClick={closeTimeline} aria-label="Close timeline">
            ×
          </button>
          <h3>{timeline.registrant.suppressed ? 'Erased subject' : timeline.registrant.email}</h3>
          {timeline.registrations.map((registration, i) => (
            <div key={registration.registrant_id}>
              <h4>
                {i === 0 ? 'Registration' : 'Registered again'} {registration.registrant_id}
              </h4>
              <ol>
                {registration.changes.map((c) => (
                  <li key={c.id}>
                    <strong>{c.kind.replace(/_/g, ' ')}</strong> {new Date(c.observed_at).toLocaleString()}: {CHANGE_DESCRIPTIONS[c.kind]}
                    {c.evidence && <div className="evidence">How we know: {c.evidence}</div>}
                  </li>
                ))}
              </ol>
            </div>
          ))}
        </aside>
      )}
    </section>
  );
}
