import { useSyncExternalStore } from 'react';

// One URL per screen, in the fragment: it works the same on app:// in Electron and on 127.0.0.1 in
// browser mode (no server fallback needed), and back, forward and reload keep the screen.

export type Route =
  | { name: 'overview' }
  | { name: 'first-run' }
  | { name: 'mirror'; webinarId: string | null; kind?: string | null }
  | { name: 'requests' }
  | { name: 'new-request'; email: string | null }
  | { name: 'request'; id: string }
  | { name: 'audit'; requestId: string | null }
  | { name: 'settings' };

export function parseRoute(hash: string): Route {
  const [pathPart = '', query = ''] = hash.replace(/^#/, '').split('?');
  const parts = pathPart.split('/').filter(Boolean).map(decodeURIComponent);
  const params = new URLSearchParams(query);
  switch (parts[0]) {
    case 'first-run':
      return { name: 'first-run' };
    case 'mirror':
      return { name: 'mirror', webinarId: parts[1] ?? null, kind: params.get('kind') };
    case 'requests':
      if (parts[1] === 'new') return { name: 'new-request', email: params.get('email') };
      return parts[1] ? { name: 'request', id: parts[1] } : { name: 'requests' };
    case 'audit':
      return { name: 'audit', requestId: params.get('request') };
    case 'settings':
      return { name: 'settings' };
    default:
      return { name: 'overview' };
  }
}

export function hrefOf(route: Route): string {
  switch (route.name) {
    case 'overview':
      return '#/';
    case 'first-run':
      return '#/first-run';
    case 'mirror':
      return `#/mirror${route.webinarId ? `/${encodeURIComponent(route.webinarId)}` : ''}${route.kind ? `?kind=${encodeURIComponent(route.kind)}` : ''}`;
    case 'requests':
      return '#/requests';
    case 'new-request':
      return route.email ? `#/requests/new?email=${encodeURIComponent(route.email)}` : '#/requests/new';
    case 'request':
      return `#/requests/${encodeURIComponent(route.id)}`;
    case 'audit':
      return route.requestId ? `#/audit?request=${encodeURIComponent(route.requestId)}` : '#/audit';
    case 'settings':
      return '#/settings';
  }
}

export function navigate(route: Route, options: { replace?: boolean } = {}): void {
  const href = hrefOf(route);
  if (options.replace) {
    history.replaceState(null, '', href);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } else window.location.hash = href;
}

const subscribe = (onChange: () => void) => {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
};

export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  return parseRoute(hash);
}
