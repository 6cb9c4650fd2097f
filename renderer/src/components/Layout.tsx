import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { organisationComplete } from '../../../shared/settings';
import { asDeskError, type DeskError } from '../call';
import { useDesk } from '../desk-state';
import { hrefOf, navigate, type Route } from '../router';
import { ErrorNote } from './ui';

const NAV: { route: Route; key: string; match: Route['name'][] }[] = [
  { route: { name: 'overview' }, key: 'nav.overview', match: ['overview'] },
  { route: { name: 'mirror', webinarId: null }, key: 'nav.mirror', match: ['mirror'] },
  { route: { name: 'requests' }, key: 'nav.requests', match: ['requests', 'new-request', 'request'] },
  { route: { name: 'audit', requestId: null }, key: 'nav.audit', match: ['audit'] },
  { route: { name: 'settings' }, key: 'nav.settings', match: ['settings'] },
];

/** The frame of every screen: skip link, navigation, the sandbox banner, who is working; focus moves to the new screen's heading. */
export function Layout({ route, children }: { route: Route; children: ReactNode }) {
  const { t } = useTranslation();
  const { mode, settings, zoom, backup, switchMode } = useDesk();
  const [leaving, setLeaving] = useState(false);
  const [error, setError] = useState<DeskError | null>(null);
  const routeKey = hrefOf(route);
  const firstRun = route.name === 'first-run';

  // A new screen: focus its heading so a screen reader announces it; but never before the person
  // has done anything (on load, and on the redirect to the first run, the skip link is the first stop).
  const interacted = useRef(false);
  useEffect(() => {
    const mark = () => (interacted.current = true);
    window.addEventListener('keydown', mark, true);
    window.addEventListener('pointerdown', mark, true);
    return () => {
      window.removeEventListener('keydown', mark, true);
      window.removeEventListener('pointerdown', mark, true);
    };
  }, []);
  useEffect(() => {
    const heading = document.querySelector<HTMLElement>('main h1');
    if (interacted.current) heading?.focus();
    document.title = `${heading?.textContent ?? ''} · ${t('app.name')}`;
  }, [routeKey, t]);

  const leave = async () => {
    setLeaving(true);
    try {
      await switchMode('live');
      navigate({ name: 'overview' });
    } catch (e) {
      setError(asDeskError(e));
    } finally {
      setLeaving(false);
    }
  };

  return (
    <div className={`desk ${mode === 'sandbox' ? 'sandbox-mode' : ''}`}>
      {/* Not a fragment link: the fragment is the route. */}
      <a
        className="skip"
        href="#main"
        onClick={(event) => {
          event.preventDefault();
          document.querySelector<HTMLElement>('main h1')?.focus();
        }}
      >
        {t('nav.skip')}
      </a>
      {mode === 'sandbox' && (
        <div className="sandbox-banner" role="status" data-testid="sandbox-banner">
          <span>
            <strong>{t('sandbox.banner')}</strong> {t('sandbox.bannerDetail')}
          </span>
          <button type="button" onClick={() => void leave()} disabled={leaving} data-testid="leave-sandbox">
            {t('sandbox.leave')}
          </button>
        </div>
      )}
      {settings && !organisationComplete(settings) && (
        <div className="lock-banner" role="status" data-testid="organisation-incomplete">
          <span>{t('organisation.banner')}</span>
          {route.name !== 'settings' && <a href={hrefOf({ name: 'settings' })}>{t('organisation.bannerAction')}</a>}
        </div>
      )}
      {mode === 'live' && backup && !backup.recovery_key.recipient && (
        <div className="lock-banner" role="status" data-testid="no-recovery-key">
          <span>{t('backup.bannerNoKey')}</span>
          {route.name !== 'settings' && <a href={hrefOf({ name: 'settings' })}>{t('backup.bannerAction')}</a>}
        </div>
      )}
      <header className="topbar">
        <span className="brand">{t('app.name')}</span>
        {!firstRun && (
          <nav aria-label={t('nav.label')}>
            <ul>
              {NAV.map((item) => (
                <li key={item.key}>
                  <a href={hrefOf(item.route)} aria-current={item.match.includes(route.name) ? 'page' : undefined}>
                    {t(item.key)}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        )}
        <span className="who">
          {settings?.operator && <span data-testid="reviewer">{t('nav.workingAs', { name: settings.operator })}</span>}
          {zoom?.connected && <span className="muted"> · {mode === 'sandbox' ? t('sandbox.account') : zoom.account_id}</span>}
        </span>
      </header>
      <ErrorNote error={error} />
      <main id="main">{children}</main>
    </div>
  );
}
