import { useEffect } from 'react';
import { useMirror } from './mirror-state';

/** Every webinar in the mirror with its registrants by status and the attendee records Zoom keeps. */
export function WebinarsPanel() {
  const { webinars, webinarId, loadWebinars, selectWebinar } = useMirror();
  useEffect(() => {
    void loadWebinars();
  }, [loadWebinars]);

  return (
    <section className="card" aria-labelledby="webinars-title">
      <h2 id="webinars-title">Webinars</h2>
      {webinars.length === 0 ? (
        <p className="muted">The mirror holds no webinars yet. Sync to read what Zoom holds.</p>
      ) : (
        <table className="grid" data-testid="webinars">
          <thead>
            <tr>
              <th>Webinar</th>
              <th>Starts</th>
              <th className="num">Approved</th>
              <th className="num">Pending</th>
              <th className="num">Denied</th>
              <th className="num" title="Listed before, in no Zoom list now">Gone</th>
              <th className="num" title="Participants, absentees, Q&A, polls, survey answers, panelists">Report records</th>
            </tr>
          </thead>
          <tbody>
            {webinars.map((w) => {
              const records = w.records.participants + w.records.absentees + w.records.qa + w.records.polls + w.records.survey + w.records.panelists;
              return (
                <tr key={w.id} className={w.id === webinarId ? 'selected' : undefined} onClick={() => void selectWebinar(w.id === webinarId ? null : w.id)}>
                  <td>
                    <button type="button" className="link">
                      {w.topic ?? w.id}
                    </button>
                    <div className="muted small">
                      {w.id}
                      {w.deleted ? ' · deleted on Zoom' : ''}
                      {w.suppressed_rows > 0 ? ` · ${w.suppressed_rows} rows of erased subjects Zoom still holds` : ''}
                    </div>
                  </td>
                  <td>{w.start_time ? new Date(w.start_time).toLocaleDateString() : ''}</td>
                  <td className="num">{w.registrants.approved}</td>
                  <td className="num">{w.registrants.pending}</td>
                  <td className="num">{w.registrants.denied}</td>
                  <td className="num">{w.registrants.gone}</td>
                  <td className="num">{records}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
