import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../call';
import { ErrorNote } from '../components/ui';
import { useFormat } from '../format';
import { hrefOf } from '../router';
import { useLoad } from '../use-load';
import { RegistrantState, type Row } from './RegistrantTable';

/** One registrant across syncs: every registration of the address for the webinar, each change with how it was established. */
export function RegistrantDrawer({ row, onClose }: { row: Row; onClose: () => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const { data: timeline, error } = useLoad(() => call('getRegistrantTimeline', { event_id: row.event_id, registrant_id: row.registrant_id }), [row.event_id, row.registrant_id]);
  const heading = useRef<HTMLHeadingElement>(null);
  // The core words a list sighting the same way each time; a read-back's answer is kept as Zoom gave it.
  const evidenceText = (evidence: string) => {
    const listed = /^seen in Zoom's (approved|pending|denied) list$/.exec(evidence);
    return listed ? t('mirror.seenInList', { list: t(`registrantState.${listed[1]}`) }) : evidence;
  };

  useEffect(() => {
    heading.current?.focus();
  }, [row.event_id, row.registrant_id]);

  return (
    <aside
      className="drawer"
      aria-labelledby="drawer-title"
      data-testid="registrant-drawer"
      onKeyDown={(event) => {
        if (event.key === 'Escape') onClose();
      }}
    >
      <div className="drawer-head">
        <h2 id="drawer-title" ref={heading} tabIndex={-1}>
          {row.email ?? t('mirror.noPersonalData')}
        </h2>
        <button type="button" onClick={onClose} aria-label={t('common.close')}>
          ×
        </button>
      </div>
      <p>
        <RegistrantState row={row} /> · {t(row.event_type === 'meeting' ? 'mirror.meeting' : 'mirror.webinar', { id: row.event_id })} · <code>{row.registrant_id}</code>
      </p>
      {row.erased_by && (
        <p>
          <a href={hrefOf({ name: 'request', id: row.erased_by })}>{t('mirror.openRequest', { id: row.erased_by })}</a>
        </p>
      )}
      {!row.erased_by && row.email && (
        <p>
          <a href={hrefOf({ name: 'new-request', email: row.email })} data-testid="file-request-for">
            {t('mirror.fileRequest')}
          </a>
        </p>
      )}
      <ErrorNote error={error} />
      {timeline && (
        <>
          <h3>{t('mirror.timeline')}</h3>
          {timeline.registrations.map((registration) => (
            <section key={registration.registrant_id} className="registration">
              <h4>{t('mirror.registration', { id: registration.registrant_id })}</h4>
              <ol className="timeline-list">
                {registration.changes.map((change) => (
                  <li key={change.id}>
                    <strong>{t(`change.${change.kind}`)}</strong> · {f.dateTime(change.observed_at)}
                    {change.via === 'event' && <span className="tag live-tag"> · {t('live.observed')}</span>}
                    {change.from || change.to ? ` · ${change.from ? t(`registrantState.${change.from}`) : '–'} → ${change.to ? t(`registrantState.${change.to}`) : '–'}` : ''}
                    {change.request_id && (
                      <>
                        {' · '}
                        <a href={hrefOf({ name: 'request', id: change.request_id })}>{change.request_id}</a>
                      </>
                    )}
                    {change.evidence && <span className="evidence">{t('mirror.howEstablished', { how: evidenceText(change.evidence) })}</span>}
                  </li>
                ))}
              </ol>
            </section>
          ))}
          <h3>{t('mirror.fields')}</h3>
          <dl className="facts small">
            {Object.entries(timeline.registrant.fields)
              .filter(([, value]) => value)
              .flatMap(([key, value]) => (key === 'custom_questions' ? answersOf(String(value)) : [[t(`field.${key}`, { defaultValue: key }), String(value)] as const]))
              .map(([label, value], i) => (
                <div key={i} className="contents">
                  <dt>{label}</dt>
                  <dd>{value}</dd>
                </div>
              ))}
          </dl>
        </>
      )}
    </aside>
  );
}

/** The registration form's own questions, as Zoom returns them ([{title, value}]): each question and its answer. */
function answersOf(stored: string): (readonly [string, string])[] {
  try {
    const answers = JSON.parse(stored) as { title?: unknown; value?: unknown }[];
    return answers.filter((a) => typeof a.title === 'string' && typeof a.value === 'string' && a.value !== '').map((a) => [a.title as string, a.value as string] as const);
  } catch {
    return [];
  }
}
