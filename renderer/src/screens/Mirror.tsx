import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CHANGE_KINDS, type ChangeKind } from '../../../shared/changes';
import { REGISTRANT_FILTERS } from '../../../shared/mirror';
import { call } from '../call';
import { ErrorNote } from '../components/ui';
import { useFormat } from '../format';
import { hrefOf, navigate } from '../router';
import { useLoad } from '../use-load';
import { RegistrantDrawer } from '../widgets/RegistrantDrawer';
import { RegistrantTable, startFirstPage, type RegistrantQuery, type Row } from '../widgets/RegistrantTable';
import { SyncBar } from '../widgets/SyncBar';
import { webinarGroupOf as groupOf } from '../webinars';

const GROUPS = ['upcoming', 'past', 'deleted', 'all'] as const;
const KINDS = ['all', 'webinar', 'meeting'] as const;
type Group = (typeof GROUPS)[number];
type Filters = { status: (typeof REGISTRANT_FILTERS)[number]; search: string; changeKind: ChangeKind | ''; account: string };

export function MirrorScreen({ webinarId, kind }: { webinarId: string | null; kind: string | null }) {
  const { t } = useTranslation();
  const f = useFormat();
  const [group, setGroup] = useState<Group>('all');
  const [eventKind, setEventKind] = useState<(typeof KINDS)[number]>('all');
  const [status, setStatus] = useState<Filters['status']>('all');
  const [changeKind, setChangeKind] = useState<ChangeKind | ''>((CHANGE_KINDS as readonly string[]).includes(kind ?? '') ? (kind as ChangeKind) : '');
  const [search, setSearch] = useState('');
  /** One Zoom account's events and registrants, or every account's (''). */
  const [account, setAccount] = useState('');
  const [open, setOpen] = useState<Row | null>(null);
  const [version, setVersion] = useState(0);
  const { data, error } = useLoad(async () => {
    const [webinarList, meetingList, accountList] = await Promise.all([call('listWebinars', {}), call('listMeetings', {}), call('listAccounts', {})]);
    return { events: [...webinarList.webinars, ...meetingList.meetings], accounts: accountList };
  }, [version]);
  // Every account the mirror holds records of: a disconnected one's stay until retention removes them.
  const accounts = data ? [...data.accounts.accounts.map((a) => ({ name: a.name, disconnected: false })), ...data.accounts.disconnected.map((a) => ({ name: a.name, disconnected: true }))] : [];
  const severalAccounts = accounts.length > 1;
  const webinars = data?.events.filter((w) => !account || w.account === account);

  const now = Date.now();
  const ofKind = (webinars ?? []).filter((w) => eventKind === 'all' || w.event_type === eventKind);
  const shown = ofKind.filter((w) => group === 'all' || groupOf(w, now) === group);
  const selected = data?.events.find((w) => w.id === webinarId) ?? null;
  const queryOf = (filters: Filters): RegistrantQuery => ({
    event_id: webinarId ?? undefined,
    account: filters.account || undefined,
    status: filters.status,
    search: filters.search.trim() || undefined,
    change_kind: filters.changeKind || undefined,
  });
  const query = queryOf({ status, search, changeKind, account });
  /** A filter changed: its first page is asked for now, then the screen renders (see startFirstPage). */
  const refilter = (changes: Partial<Filters>) => {
    startFirstPage(queryOf({ status, search, changeKind, account, ...changes }), query);
  };
  const chooseAccount = (name: string) => {
    // The open event stays only if the account hosts it.
    if (selected && name && selected.account !== name) navigate({ name: 'mirror', webinarId: null, kind: changeKind || null }, { replace: true });
    else refilter({ account: name });
    setAccount(name);
  };

  const reload = useCallback(() => setVersion((v) => v + 1), []);

  // A whole address searched for: if a request erased it, the mirror says so (found by its keyed
  // hash in the core, the address itself is not kept), instead of a bare "0 registrants".
  const [erased, setErased] = useState<{ request_id: string | null; at: string } | null>(null);
  const wholeAddress = /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(search.trim()) ? search.trim() : null;
  useEffect(() => {
    setErased(null);
    if (!wholeAddress) return;
    let live = true;
    call('findSubject', { email: wholeAddress })
      .then((found) => live && setErased(found.erased_by))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [wholeAddress, version]);

  return (
    <section aria-labelledby="mirror-title">
      <h1 id="mirror-title" tabIndex={-1}>
        {t('mirror.title')}
      </h1>
      <SyncBar onFinished={reload} />
      <ErrorNote error={error} />
      <div className="mirror-layout">
        <section className="card webinars" aria-labelledby="webinars-title">
          <h2 id="webinars-title">{t('mirror.webinars')}</h2>
          {severalAccounts && (
            <label className="account-filter">
              {t('mirror.account')}
              <select value={account} onChange={(e) => chooseAccount(e.target.value)} data-testid="account-filter">
                <option value="">{t('mirror.allAccounts')}</option>
                {accounts.map((a) => (
                  <option key={a.name} value={a.name}>
                    {a.disconnected ? t('mirror.accountDisconnected', { name: a.name }) : a.name}
                  </option>
                ))}
              </select>
            </label>
          )}
          <div role="group" aria-label={t('mirror.eventKind')} className="segmented" data-testid="event-kind">
            {KINDS.map((k) => (
              <button key={k} type="button" aria-pressed={eventKind === k} onClick={() => setEventKind(k)}>
                {t(`eventKind.${k}`)} ({f.number(k === 'all' ? (webinars?.length ?? 0) : (webinars ?? []).filter((w) => w.event_type === k).length)})
              </button>
            ))}
          </div>
          <div role="group" aria-label={t('mirror.webinarGroup')} className="segmented">
            {GROUPS.map((g) => (
              <button key={g} type="button" aria-pressed={group === g} onClick={() => setGroup(g)}>
                {t(`webinar.${g}`)} ({f.number(g === 'all' ? ofKind.length : ofKind.filter((w) => groupOf(w, now) === g).length)})
              </button>
            ))}
          </div>
          <ul className="webinar-list" data-testid="webinar-list">
            <li>
              <a href={hrefOf({ name: 'mirror', webinarId: null })} aria-current={webinarId === null ? 'page' : undefined}>
                {t('mirror.allWebinars')}
              </a>
            </li>
            {shown.map((w) => {
              const registrants = w.registrants.approved + w.registrants.pending + w.registrants.denied;
              return (
                <li key={w.id}>
                  <a href={hrefOf({ name: 'mirror', webinarId: w.id })} aria-current={webinarId === w.id ? 'page' : undefined}>
                    <span className="topic">{w.topic ?? w.id}</span>
                    <span className="muted small">
                      {t(`eventKind.one.${w.event_type}`)} · {f.date(w.start_time)} · {t('mirror.registrantCount', { count: registrants, n: f.number(registrants) })}
                      {w.deleted ? ` · ${t('webinar.deleted')}` : ''}
                      {severalAccounts && !w.account_disconnected ? ` · ${w.account}` : ''}
                    </span>
                    {w.account_disconnected && (
                      <span className="badge disconnected" data-testid="event-disconnected">
                        {t('mirror.fromDisconnected', { name: w.account })}
                      </span>
                    )}
                  </a>
                </li>
              );
            })}
          </ul>
        </section>
        <section className="card registrants" aria-labelledby="registrants-title">
          <h2 id="registrants-title">{selected ? t('mirror.registrantsOf', { topic: selected.topic ?? selected.id }) : t('mirror.allRegistrants')}</h2>
          <div className="filters row">
            <label>
              {t('mirror.search')}
              <input
                type="search"
                value={search}
                onChange={(e) => {
                  refilter({ search: e.target.value });
                  setSearch(e.target.value);
                }}
                placeholder={t('mirror.searchPlaceholder')}
                data-testid="registrant-search"
              />
            </label>
            <label>
              {t('common.status')}
              <select
                value={status}
                onChange={(e) => {
                  refilter({ status: e.target.value as typeof status });
                  setStatus(e.target.value as typeof status);
                }}
                data-testid="registrant-status"
              >
                {REGISTRANT_FILTERS.map((s) => (
                  <option key={s} value={s}>
                    {t(`registrantFilter.${s}`)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t('mirror.changeKind')}
              <select
                value={changeKind}
                onChange={(e) => {
                  refilter({ changeKind: e.target.value as ChangeKind | '' });
                  setChangeKind(e.target.value as ChangeKind | '');
                  navigate({ name: 'mirror', webinarId, kind: e.target.value || null }, { replace: true });
                }}
                data-testid="registrant-kind"
              >
                <option value="">{t('mirror.anyChange')}</option>
                {CHANGE_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {t(`change.${k}`)}
                  </option>
                ))}
              </select>
            </label>
          </div>
          {erased && (
            <p className="ok-note" role="status" data-testid="search-erased">
              {erased.request_id ? t('mirror.searchErased', { id: erased.request_id, date: f.date(erased.at) }) : t('mirror.searchErasedNoRequest', { date: f.date(erased.at) })}
            </p>
          )}
          <RegistrantTable refresh={version} query={query} onOpen={setOpen} showAccount={severalAccounts} />
          {open && (
            <RegistrantDrawer
              // One drawer per registrant: another row starts empty, never showing the last one's timeline.
              key={`${open.webinar_id}/${open.registrant_id}`}
              row={open}
              onClose={() => {
                setOpen(null);
                document.querySelector<HTMLElement>('[data-testid="registrant-scroller"]')?.focus();
              }}
            />
          )}
        </section>
      </div>
    </section>
  );
}
