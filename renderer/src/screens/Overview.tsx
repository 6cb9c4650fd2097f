import { useTranslation } from 'react-i18next';
import { CHANGE_KINDS } from '../../../shared/changes';
import type { OperationOutput } from '../../../shared/contract';
import { OPEN_STATUSES, REQUEST_STATUSES } from '../../../shared/requests';
import { call } from '../call';
import { DeadlineBadge, ErrorNote } from '../components/ui';
import { useDesk } from '../desk-state';
import { useFormat } from '../format';
import { hrefOf } from '../router';
import { useLoad } from '../use-load';
import { webinarGroupOf } from '../webinars';

type Requests = OperationOutput<'listRequests'>['requests'];
interface Data {
  requests: Requests;
  sync: OperationOutput<'getSyncStatus'>;
  webinars: OperationOutput<'listWebinars'>['webinars'];
  mirror: OperationOutput<'getMirrorOverview'>;
  tasks: OperationOutput<'listProcessorTasks'>['tasks'];
}

const DAYS_AHEAD = 90;

/** The overview says when the register has no fresh backup: none taken, none for longer than the interval, or no folder to take them to. */
function BackupWarning() {
  const { t } = useTranslation();
  const { backup, mode } = useDesk();
  if (mode !== 'live' || !backup || !backup.overdue) return null;
  const text = !backup.folder ? t('backup.overviewNoFolder') : backup.last ? t('backup.overviewOverdue', { hours: backup.interval_hours }) : t('backup.overviewNone');
  return (
    <p className="warn-note" data-testid="backup-overdue">
      {text} <a href={hrefOf({ name: 'settings' })}>{t('backup.toSettings')}</a>
    </p>
  );
}

export function Overview() {
  const { t } = useTranslation();
  const f = useFormat();
  const { data, error } = useLoad(async (): Promise<Data> => {
    const [requests, sync, webinars, mirror, tasks] = await Promise.all([
      call('listRequests', {}),
      call('getSyncStatus', {}),
      call('listWebinars', {}),
      call('getMirrorOverview', {}),
      call('listProcessorTasks', {}),
    ]);
    return { requests: requests.requests, sync, webinars: webinars.webinars, mirror, tasks: tasks.tasks };
  }, []);

  const open = data?.requests.filter((r) => OPEN_STATUSES.includes(r.status)) ?? [];
  const overdue = open.filter((r) => r.overdue);
  const dueSoon = open.filter((r) => !r.overdue && r.days_left <= 7);
  const now = Date.now();
  const webinarGroups = { upcoming: 0, past: 0, deleted: 0 };
  for (const w of data?.webinars ?? []) webinarGroups[webinarGroupOf(w, now)] += 1;

  return (
    <section aria-labelledby="overview-title">
      <h1 id="overview-title" tabIndex={-1}>
        {t('overview.title')}
      </h1>
      <ErrorNote error={error} />
      <BackupWarning />
      {!data && !error && <p role="status">{t('common.loading')}</p>}
      {data && (
        <div className="cards">
          <section className="card" aria-labelledby="ov-requests">
            <h2 id="ov-requests">{t('overview.requests')}</h2>
            <p className="big-figures">
              <span data-testid="open-count">{t('overview.open', { count: open.length, n: f.number(open.length) })}</span>
              {overdue.length > 0 && <span className="badge danger">{t('overview.overdue', { count: overdue.length })}</span>}
              {dueSoon.length > 0 && <span className="badge warn">{t('overview.dueSoon', { count: dueSoon.length })}</span>}
            </p>
            {data.requests.length > 0 && (
              <CountTable
                caption={t('overview.byStatus')}
                heading={t('common.status')}
                rows={REQUEST_STATUSES.map((status) => ({ key: status, label: t(`status.${status}`), n: data.requests.filter((r) => r.status === status).length })).filter((row) => row.n > 0)}
              />
            )}
            <p>
              <a href={hrefOf({ name: 'requests' })}>{t('overview.toQueue')}</a>
            </p>
          </section>

          <section className="card wide" aria-labelledby="ov-calendar">
            <h2 id="ov-calendar">{t('overview.calendar', { days: DAYS_AHEAD })}</h2>
            <CalendarStrip requests={open} />
          </section>

          <section className="card" aria-labelledby="ov-sync">
            <h2 id="ov-sync">{t('overview.lastSync')}</h2>
            {data.sync.last_run ? (
              <dl className="facts">
                <dt>{t('overview.when')}</dt>
                <dd>{f.dateTime(data.sync.last_run.finished_at ?? data.sync.last_run.started_at)}</dd>
                <dt>{t('overview.result')}</dt>
                <dd data-testid="last-sync-status">{t(`syncStatus.${data.sync.last_run.status}`)}</dd>
                <dt>{t('overview.warnings')}</dt>
                <dd>
                  {data.sync.last_run.warnings.length === 0
                    ? t('overview.noWarnings')
                    : data.sync.last_run.warnings.map((w) => (
                        <span key={`${w.event_id}-${w.source}`} className="block">
                          {t('overview.warning', { webinar: w.event_id, source: w.source, code: w.code })}
                        </span>
                      ))}
                </dd>
              </dl>
            ) : (
              <p>{t('overview.neverSynced')}</p>
            )}
            <p>
              <a href={hrefOf({ name: 'mirror', webinarId: null })}>{t('overview.toMirror')}</a>
            </p>
          </section>

          {data.mirror.accounts.length > 0 && <AccountStates accounts={data.mirror.accounts} />}

          <section className="card" aria-labelledby="ov-changes">
            <h2 id="ov-changes">{t('overview.changes')}</h2>
            {data.mirror.last_sync ? (
              <CountTable
                testId="changes-by-kind"
                caption={t('overview.changes')}
                heading={t('overview.kind')}
                rows={CHANGE_KINDS.map((kind) => ({ key: kind, label: t(`change.${kind}`), n: data.mirror.last_sync!.changes[kind], href: hrefOf({ name: 'mirror', webinarId: null, kind }) }))}
              />
            ) : (
              <p>{t('overview.neverSynced')}</p>
            )}
          </section>

          <section className="card" aria-labelledby="ov-mirror">
            <h2 id="ov-mirror">{t('overview.mirror')}</h2>
            <dl className="facts">
              <dt>{t('webinar.upcoming')}</dt>
              <dd>{f.number(webinarGroups.upcoming)}</dd>
              <dt>{t('webinar.past')}</dt>
              <dd>{f.number(webinarGroups.past)}</dd>
              <dt>{t('webinar.deleted')}</dt>
              <dd>{f.number(webinarGroups.deleted)}</dd>
              {(['approved', 'pending', 'denied', 'gone', 'erased'] as const).map((key) => (
                <div key={key} className="contents">
                  <dt>{t(`registrantState.${key}`)}</dt>
                  <dd data-testid={`registrants-${key}`}>{f.number(data.mirror.registrants[key])}</dd>
                </div>
              ))}
            </dl>
          </section>

          <section className="card" aria-labelledby="ov-processor">
            <h2 id="ov-processor">{t('overview.processorRequests')}</h2>
            {data.tasks.length === 0 ? (
              <p>{t('overview.noProcessorRequests')}</p>
            ) : (
              <ul>
                {data.tasks.map((task) => (
                  <li key={task.id}>
                    <a href={hrefOf({ name: 'request', id: task.request_id })}>{task.request_id}</a> · {t(`processor.${task.status}`)}
                    {task.due_at && !task.answered_at ? ` ${f.date(task.due_at)}` : ''} · {f.date(task.created_at)}
                  </li>
                ))}
              </ul>
            )}
          </section>
        </div>
      )}
    </section>
  );
}

/** Each Zoom account's last sync and live state (live changes are held for the default account only). */
function AccountStates({ accounts }: { accounts: OperationOutput<'getMirrorOverview'>['accounts'] }) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <section className="card" aria-labelledby="ov-accounts">
      <h2 id="ov-accounts">{t('overview.accounts')}</h2>
      <table className="grid compact account-states" data-testid="account-states">
        <caption className="sr-only">{t('overview.accounts')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('mirror.account')}</th>
            <th scope="col">{t('accounts.lastSync')}</th>
            <th scope="col">{t('overview.liveState')}</th>
          </tr>
        </thead>
        <tbody>
          {accounts.map((a) => (
            <tr key={a.name} data-testid="account-state">
              <th scope="row">{a.name}</th>
              <td>{a.last_sync_at ? f.dateTime(a.last_sync_at) : t('accounts.never')}</td>
              <td className={a.live ? `live-${a.live}` : undefined}>
                {a.disconnected_at ? (
                  <span className="badge disconnected">{t('accounts.disconnectedOn', { date: f.date(a.disconnected_at) })}</span>
                ) : a.live ? (
                  t(`accountLive.${a.live}`)
                ) : (
                  t('accountLive.bySync')
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** A small table of counts: a label (a link where there is more to see) and a number. */
function CountTable({ caption, heading, rows, testId }: { caption: string; heading: string; rows: { key: string; label: string; n: number; href?: string }[]; testId?: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <table className="grid compact" data-testid={testId}>
      <caption className="sr-only">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{heading}</th>
          <th scope="col" className="num">
            {t('common.count')}
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.key} className={row.n === 0 ? 'zero' : ''}>
            <td>{row.href ? <a href={row.href}>{row.label}</a> : row.label}</td>
            <td className="num">{f.number(row.n)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The next 90 days, one cell a day; a day with deadlines is marked and listed (the list is what a screen reader reads). */
function CalendarStrip({ requests }: { requests: Requests }) {
  const { t } = useTranslation();
  const f = useFormat();
  const today = f.day(new Date());
  const byDay = new Map<string, Requests>();
  for (const r of requests) {
    const day = f.day(r.due_at);
    byDay.set(day, [...(byDay.get(day) ?? []), r]);
  }
  const days = Array.from({ length: DAYS_AHEAD }, (_, i) => f.day(new Date(Date.now() + i * 86_400_000)));
  const upcoming = requests.filter((r) => r.overdue || f.day(r.due_at) <= days[days.length - 1]!).sort((a, b) => a.due_at.localeCompare(b.due_at));
  // What needs a hand this week (overdue included) first; the rest of the period after.
  const thisWeek = upcoming.filter((r) => r.overdue || r.days_left <= 7);
  const later = upcoming.filter((r) => !thisWeek.includes(r));
  return (
    <>
      <div className="calendar-strip" aria-hidden="true">
        {days.map((day) => {
          const due = byDay.get(day)?.length ?? 0;
          return (
            <span key={day} className={`day ${due > 0 ? 'due' : ''} ${day === today ? 'today' : ''} ${day.endsWith('-01') ? 'month-start' : ''}`} title={due > 0 ? `${day}: ${due}` : day}>
              {day.endsWith('-01') || day === today ? <span className="month">{f.date(`${day}T12:00:00Z`).replace(/^\d+\.?\s*/, '')}</span> : null}
              {due > 0 ? due : ''}
            </span>
          );
        })}
      </div>
      <p className="hint">{t('overview.timeZoneNote', { zone: f.timeZone })}</p>
      <h3>{t('overview.dueThisWeek')}</h3>
      {thisWeek.length === 0 ? <p data-testid="due-week-none">{t('overview.nothingThisWeek')}</p> : <DueList requests={thisWeek} testId="due-week" />}
      <h3>{t('overview.dueLater', { count: DAYS_AHEAD })}</h3>
      {later.length === 0 ? <p>{t('overview.nothingDue')}</p> : <DueList requests={later} testId="due-list" />}
    </>
  );
}

function DueList({ requests, testId }: { requests: Requests; testId: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <ul className="due-list" data-testid={testId}>
      {requests.map((r) => (
        <li key={r.id}>
          <a href={hrefOf({ name: 'request', id: r.id })}>{r.id}</a> · {t(`type.${r.type}`)} · {t(`status.${r.status}`)} · {t('overview.dueOn', { date: f.date(r.due_at) })}{' '}
          <DeadlineBadge daysLeft={r.days_left} overdue={r.overdue} open />
        </li>
      ))}
    </ul>
  );
}
