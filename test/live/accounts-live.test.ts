import { describe, expect, it } from 'vitest';
import { eventIdOffset } from '../../electron/core/sandbox/seed';
import { tempDataDir } from '../helpers';
import { call } from '../sync/sync-helpers';
import { control, sandbox } from '../zoom/sandbox-helpers';
import { eventSockets, liveCore, reconciliations, startWatch, UPCOMING } from './live-helpers';

// Live events per account: each connected account's event subscription is held on a socket of its
// own with its own credentials, its events applied to its own records and reconciled by a sync of
// that account alone.

const EU = 'sandbox-account-eu';

describe('live events of several Zoom accounts', () => {
  it("holds each account's subscription, and a change on either account reaches the mirror named with its account", async () => {
    const first = await sandbox({ seed: 'demo' });
    const eu = await sandbox({ seed: 'demo', accountId: EU });
    const dataDir = tempDataDir();
    const core = await liveCore(first, dataDir);
    const connected = await call(core, 'connectZoom', { ...eu.credentials, api_url: eu.apiUrl, oauth_url: eu.oauthUrl, event_subscription_id: eu.eventSubscriptionId, ws_url: eu.wsUrl, name: 'eu' });
    expect(connected).toMatchObject({ name: 'eu', event_subscription_id: eu.eventSubscriptionId, ws_url: eu.wsUrl });
    await call(core, 'syncZoom', {});
    await core.close();

    const watch = startWatch(dataDir);
    try {
      // One reconciliation per account, each a sync of that account only.
      await watch.waitFor(() => reconciliations(watch) >= 2 || undefined, 30_000, 'both reconciliations');
      expect((await eventSockets(first)).connections).toBe(1);
      expect((await eventSockets(eu)).connections).toBe(1);

      const euWebinar = String(eventIdOffset(EU) + Number(UPCOMING));
      for (const [box, webinar, email] of [
        [first, UPCOMING, 'first.live@example.org'],
        [eu, euWebinar, 'eu.live@example.org'],
      ] as const) {
        await control(box, 'POST', 'register', { webinar_id: webinar, email, first_name: 'Live', last_name: 'Person' });
      }
      const heard = await watch.waitFor(
        () => {
          const registered = watch.changes.filter((c) => c.kind === 'registered' && c.via === 'event');
          return registered.length >= 2 ? registered : undefined;
        },
        15_000,
        'both registrations as events',
      );
      expect(heard.map((c) => [c.event_id, c.account]).sort()).toEqual([
        [UPCOMING, 'default'],
        [euWebinar, 'eu'],
      ]);
    } finally {
      expect(await watch.stop()).toBe(0);
    }
    const reopened = await liveCore(first, dataDir);
    try {
      const overview = await call(reopened, 'getMirrorOverview', {});
      // Nothing holds the subscriptions now: both off, neither "by sync only".
      expect(overview.accounts.map((a) => [a.name, a.live]).sort()).toEqual([
        ['default', 'off'],
        ['eu', 'off'],
      ]);
    } finally {
      await reopened.close();
    }
  });
});
