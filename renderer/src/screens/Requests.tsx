import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { OPEN_STATUSES, REQUEST_ARTICLE, REQUEST_STATUSES, REQUEST_TYPES, type RequestStatus, type RequestType } from '../../../shared/requests';
import { call } from '../call';
import { DeadlineBadge, ErrorNote } from '../components/ui';
import { useFormat } from '../format';
import { hrefOf } from '../router';
import { useLoad } from '../use-load';
import { RegisterReport } from '../widgets/RegisterReport';

const DUE_FILTERS = ['any', 'overdue', 'week', 'month'] as const;

/** The queue: every request, filtered by status, type and due date, soonest deadline first. */
export function RequestsScreen() {
  const { t } = useTranslation();
  const f = useFormat();
  const { data: requests, error } = useLoad(async () => (await call('listRequests', {})).requests, []);
  const [status, setStatus] = useState<RequestStatus | 'open' | ''>('open');
  const [type, setType] = useState<RequestType | ''>('');
  const [due, setDue] = useState<(typeof DUE_FILTERS)[number]>('any');

  const shown = (requests ?? []).filter(
    (r) =>
      (status === '' || (status === 'open' ? OPEN_STATUSES.includes(r.status) : r.status === status)) &&
      (type === '' || r.type === type) &&
      (due === 'any' || (due === 'overdue' ? r.overdue : r.days_left <= (due === 'week' ? 7 : 31))),
  );

  return (
    <section aria-labelledby="requests-title">
      <div className="title-row">
        <h1 id="requests-title" tabIndex={-1}>
          {t('requests.title')}
        </h1>
        <a className="button primary" href={hrefOf({ name: 'new-request', email: null })} data-testid="new-request">
          {t('requests.new')}
        </a>
      </div>
      <ErrorNote error={error} />
      <div className="filters row card">
        <label>
          {t('common.status')}
          <select value={status} onChange={(e) => setStatus(e.target.value as typeof status)} data-testid="queue-status">
            <option value="open">{t('requests.allOpen')}</option>
            <option value="">{t('requests.all')}</option>
            {REQUEST_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`status.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('requests.type')}
          <select value={type} onChange={(e) => setType(e.target.value as typeof type)}>
            <option value="">{t('requests.anyType')}</option>
            {REQUEST_TYPES.map((ty) => (
              <option key={ty} value={ty}>
                {t(`type.${ty}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('requests.due')}
          <select value={due} onChange={(e) => setDue(e.target.value as typeof due)}>
            {DUE_FILTERS.map((d) => (
              <option key={d} value={d}>
                {t(`requests.dueFilter.${d}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      {requests && (
        <table className="grid card-table" data-testid="request-queue">
          <caption className="sr-only">{t('requests.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('requests.id')}</th>
              <th scope="col">{t('requests.type')}</th>
              <th scope="col">{t('common.status')}</th>
              <th scope="col">{t('requests.received')}</th>
              <th scope="col">{t('requests.dueAt', { zone: f.timeZone })}</th>
            </tr>
          </thead>
          <tbody>
            {shown.length === 0 && (
              <tr>
                <td colSpan={5}>{t('requests.none')}</td>
              </tr>
            )}
            {shown.map((r) => (
              <tr key={r.id}>
                <td>
                  <a href={hrefOf({ name: 'request', id: r.id })}>{r.id}</a>
                </td>
                <td>
                  {t(`type.${r.type}`)} <span className="muted">({f.art(REQUEST_ARTICLE[r.type])})</span>
                </td>
                <td>{t(`status.${r.status}`)}</td>
                <td>{f.date(r.received_at)}</td>
                <td>
                  {f.date(r.due_at)} {r.extended && <span className="badge muted">{t('requests.extended')}</span>}{' '}
                  <DeadlineBadge daysLeft={r.days_left} overdue={r.overdue} open={OPEN_STATUSES.includes(r.status)} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <RegisterReport />
    </section>
  );
}
