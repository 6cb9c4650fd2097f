import { describe, expect, it } from 'vitest';
import { columnNames, indexNames, isStrict, migrateTo, plan, storeBefore, tableNames } from './helper';

describe('migration 0190: several Zoom accounts', () => {
  it('names the account of every event, sync run and job action, what was mirrored before being the default account', () => {
    const db = storeBefore(190);
    db.prepare(`INSERT INTO events (id, kind, topic, first_seen_at) VALUES ('81234567890', 'webinar', 'Before accounts', '2026-11-01T09:00:00Z')`).run();
    db.prepare(`INSERT INTO sync_runs (mode, status, started_at) VALUES ('full', 'completed', '2026-11-01T09:00:00Z')`).run();
    expect(migrateTo(db, 190)).toMatchObject({ to: 190 });

    expect(tableNames(db)).toContain('zoom_accounts');
    expect(isStrict(db, 'zoom_accounts')).toBe(true);
    expect(columnNames(db, 'zoom_accounts')).toEqual(['name', 'account_id', 'api_url', 'connected_at', 'disconnected_at', 'last_sync_at', 'event_subscription_id', 'ws_url']);
    expect(db.prepare('SELECT account, topic FROM events').get()).toEqual({ account: 'default', topic: 'Before accounts' });
    expect(db.prepare('SELECT account FROM sync_runs').pluck().get()).toBe('default');
    expect(columnNames(db, 'job_actions')).toContain('account');
    // No account row yet: the first time accounts are read, the keychain's credentials become the default one's.
    expect(db.prepare('SELECT count(*) FROM zoom_accounts').pluck().get()).toBe(0);
    // A sync's remembered events of one account are found by index.
    expect(indexNames(db, 'events')).toContain('events_by_account');
    expect(plan(db, 'SELECT id FROM events WHERE account = ?', 'eu')).toContain('events_by_account');
  });
});
