import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNote } from './components/ui';
import { Layout } from './components/Layout';
import { useDesk } from './desk-state';
import { navigate, useRoute, type Route } from './router';
import { AuditScreen } from './screens/Audit';
import { FirstRun } from './screens/FirstRun';
import { MirrorScreen } from './screens/Mirror';
import { NewRequest } from './screens/NewRequest';
import { Overview } from './screens/Overview';
import { RequestPage } from './screens/RequestPage';
import { RequestsScreen } from './screens/Requests';
import { SettingsScreen } from './screens/Settings';
import { UnlockScreen } from './screens/Unlock';

export function App() {
  const { t } = useTranslation();
  const { loaded, error, settings, zoom, mode, load } = useDesk();
  const route = useRoute();
  useEffect(() => {
    void load();
  }, [load]);

  // First run: a reviewer's name, then Zoom (or the sandbox). Every other screen waits for both.
  const needsFirstRun = loaded && !error && (!settings?.operator || (mode === 'live' && !zoom?.connected));
  useEffect(() => {
    if (needsFirstRun && route.name !== 'first-run' && route.name !== 'settings') navigate({ name: 'first-run' }, { replace: true });
  }, [needsFirstRun, route.name]);

  if (!loaded) {
    return (
      <main className="loading" role="status">
        {t('app.opening')}
      </main>
    );
  }
  if (error?.code === 'DATABASE_KEY_MISSING') return <UnlockScreen detail={error} />;
  if (error) {
    return (
      <main className="app-error">
        <h1>{t('app.name')}</h1>
        <ErrorNote error={error} testId="store-error" />
      </main>
    );
  }
  return <Layout route={route}>{screenOf(needsFirstRun ? { name: 'first-run' } : route)}</Layout>;
}

function screenOf(route: Route) {
  switch (route.name) {
    case 'first-run':
      return <FirstRun />;
    case 'overview':
      return <Overview />;
    case 'mirror':
      return <MirrorScreen webinarId={route.webinarId} kind={route.kind ?? null} />;
    case 'requests':
      return <RequestsScreen />;
    case 'new-request':
      return <NewRequest email={route.email} />;
    case 'request':
      return <RequestPage key={route.id} id={route.id} />;
    case 'audit':
      return <AuditScreen requestId={route.requestId} />;
    case 'settings':
      return <SettingsScreen />;
  }
}
