import { useTranslation } from 'react-i18next';
import { IDENTITY_CHECK_ACTIONS, identityChecksIn } from '../../../shared/legal-words';
import { OPEN_STATUSES, REQUEST_ARTICLE } from '../../../shared/requests';
import { call } from '../call';
import { DeadlineBadge, ErrorNote } from '../components/ui';
import { useFormat } from '../format';
import { hrefOf } from '../router';
import { useLoad } from '../use-load';
import { RequestAddresses } from '../widgets/RequestAddresses';
import { RequestDecisions } from '../widgets/RequestDecisions';
import { RequestDocuments } from '../widgets/RequestDocuments';
import { RequestFile } from '../widgets/RequestFile';
import { RequestJob } from '../widgets/RequestJob';
import { Rectify } from '../widgets/Rectify';

/** One request: who, what, by when; the decisions it waits for; its job; its documents; its history. */
export function RequestPage({ id }: { id: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const { data: request, error, reload } = useLoad(() => call('getRequest', { id }), [id]);

  const open = request ? OPEN_STATUSES.includes(request.status) : false;
  return (
    <section aria-labelledby="request-title">
      <p className="crumbs">
        <a href={hrefOf({ name: 'requests' })}>{t('nav.requests')}</a>
      </p>
      <h1 id="request-title" tabIndex={-1}>
        {request ? t('request.title', { id, type: t(`type.${request.type}`) }) : id}
      </h1>
      <ErrorNote error={error} />
      {request && (
        <>
          <div className="cards">
            <section className="card span2" aria-labelledby="facts-title">
              <h2 id="facts-title">{t('request.facts')}</h2>
              <dl className="facts">
                <dt>{t('common.status')}</dt>
                <dd data-testid="request-status">{t(`status.${request.status}`)}</dd>
                <dt>{t('request.article')}</dt>
                <dd>{f.art(REQUEST_ARTICLE[request.type])}</dd>
                <dt>{t('request.subject')}</dt>
                <dd data-testid="request-subject">{request.subject_email ?? t('request.addressPurged', { masked: request.subject_masked })}</dd>
                <dt>{t('requests.received')}</dt>
                <dd>{f.dateTime(request.received_at)}</dd>
                <dt>{t('requests.dueAt', { zone: f.timeZone })}</dt>
                <dd data-testid="request-due">
                  {f.date(request.due_at)} <DeadlineBadge daysLeft={request.days_left} overdue={request.overdue} open={open} always />
                  {request.extension && <span className="block muted small">{t('request.extendedFrom', { date: f.date(request.original_due_at), reason: request.extension.reason })}</span>}
                </dd>
                <dt>{t('newRequest.channel')}</dt>
                <dd>{t(`channel.${request.channel}`)}</dd>
                {request.identity && (
                  <>
                    <dt>{t('request.identity')}</dt>
                    <dd>
                      {t('request.identityBy', {
                        method: t(`identityMethod.${request.identity.method}`, { defaultValue: request.identity.method }),
                        by: request.identity.by,
                        at: f.dateTime(request.identity.at),
                      })}
                    </dd>
                  </>
                )}
                {request.decision && (
                  <>
                    <dt>{t('request.decision')}</dt>
                    <dd>
                      {t(`request.outcome.${request.decision.outcome}`, { by: request.decision.by, at: f.dateTime(request.decision.at) })}
                      {request.decision.article && ` · ${f.art(request.decision.article)}`}
                      {request.decision.ground && <span className="block">{t('request.ground', { article: f.art(request.decision.ground), words: t(`ground.${request.decision.ground}`) })}</span>}
                      {request.decision.exceptions_checked && <span className="block">{t('request.exceptionsChecked')}</span>}
                      {request.decision.reason && <span className="block">{request.decision.reason}</span>}
                    </dd>
                  </>
                )}
                {request.hold && (
                  <>
                    <dt>{t('request.onHold')}</dt>
                    <dd>{request.hold.reason}</dd>
                  </>
                )}
              </dl>
            </section>
            <RequestDecisions request={request} onChange={reload} />
            <RequestAddresses request={request} onChange={reload} />
          </div>
          {request.type === 'rectification' && request.status === 'approved' && <Rectify request={request} onChange={reload} />}
          <RequestJob request={request} onChange={reload} />
          <RequestDocuments request={request} onChange={reload} />
          <RequestFile request={request} onChange={reload} />
          <section className="card" aria-labelledby="history-title">
            <h2 id="history-title">{t('request.history')}</h2>
            <ol className="timeline-list" data-testid="request-timeline">
              {request.timeline.map((event, i) => (
                <li key={i}>
                  <strong>{t(`event.${event.action}`, { defaultValue: event.action })}</strong> · {f.dateTime(event.at)} · {event.by}
                  {event.to && event.from !== event.to && ` · ${t(`status.${event.to}`)}`}
                  {event.reason && (
                    <span className="block muted">
                      {IDENTITY_CHECK_ACTIONS.includes(event.action) ? identityChecksIn(event.reason, (m) => t(`identityMethod.${m}`, { defaultValue: m })) : event.reason}
                    </span>
                  )}
                </li>
              ))}
            </ol>
            <p>
              <a href={hrefOf({ name: 'audit', requestId: id })}>{t('request.toAudit')}</a>
            </p>
          </section>
        </>
      )}
    </section>
  );
}
