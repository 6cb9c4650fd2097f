import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../electron/core/service';
import type { ZoomSandbox } from '../../electron/core/sandbox/server';
import { control, sandbox } from '../zoom/sandbox-helpers';
import { call, connectedCore } from './sync-helpers';

// The mirror's lists narrowed to one Zoom account, each row naming its account and whether that
// account was disconnected (its records stay, marked, until retention removes them). Two
// sandboxes: the demo as "default", and an empty one with a webinar of its own IDs as "eu".

const EU_ADDRESS = 'eu.only@example.org';
let demo: ZoomSandbox;
let eu: ZoomSandbox;
let core: Core;
let euWebinar: string;

beforeAll(async () => {
  demo = await sandbox({ seed: 'demo' });
  eu = await sandbox({ seed: 'empty' });
  euWebinar = String((await control<{ id: number }>(eu, 'POST', 'webinars', { topic: 'EU members day', registrants: { approved: 3, pending: 1 } })).id);
  await control(eu, 'POST', 'register', { event_id: euWebinar, email: EU_ADDRESS, first_name: 'Eva' });
  core = await connectedCore(demo);
  await call(core, 'connectZoom', { ...eu.credentials, api_url: eu.apiUrl, oauth_url: eu.oauthUrl, name: 'eu' });
  await call(core, 'syncZoom', {});
}, 120_000);
afterAll(async () => {
  await core?.close();
});

const plan = (sql: string, params: unknown[]) => (core.store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((row) => row.detail).join(' | ');

describe('the mirror of several accounts', () => {
  it('narrows events and registrants to one account, every row naming it', async () => {
    const euEvents = await call(core, 'listWebinars', { account: 'eu' });
    expect(euEvents.webinars.map((w) => [w.id, w.account, w.account_disconnected])).toEqual([[euWebinar, 'eu', false]]);
    expect((await call(core, 'listMeetings', { account: 'eu' })).meetings).toEqual([]);
    const all = await call(core, 'listWebinars', {});
    expect(new Set(all.webinars.map((w) => w.account))).toEqual(new Set(['default', 'eu']));

    const euRows = await call(core, 'listRegistrants', { account: 'eu', limit: 500 });
    expect(euRows.total).toBe(5);
    expect(euRows.rows.every((r) => r.account === 'eu' && r.event_id === euWebinar && !r.account_disconnected)).toBe(true);
    const everyone = await call(core, 'listRegistrants', { limit: 1 });
    const defaults = await call(core, 'listRegistrants', { account: 'default', limit: 500 });
    expect(defaults.total! + euRows.total!).toBe(everyone.total);
    expect(defaults.rows.every((r) => r.account === 'default')).toBe(true);

    // The search box alone (its own quick path) and with other filters, each within the account.
    expect((await call(core, 'listRegistrants', { account: 'eu', search: 'eu.only' })).rows.map((r) => r.email)).toEqual([EU_ADDRESS]);
    expect((await call(core, 'listRegistrants', { account: 'default', search: 'eu.only' })).total).toBe(0);
    expect((await call(core, 'listRegistrants', { account: 'eu', search: 'eu.only', status: 'approved' })).total).toBe(1);
    expect((await call(core, 'listRegistrants', { account: 'eu', search: 'eu.only', sort: 'email' })).total).toBe(1);
    expect((await call(core, 'listRegistrants', { account: 'eu', event_id: euWebinar, status: 'approved' })).total).toBe(4);
  });

  it('gives each account its last sync and live state, and the figures of one account', async () => {
    const overview = await call(core, 'getMirrorOverview', {});
    expect(overview.accounts.map((a) => [a.name, a.live, a.disconnected_at])).toEqual([
      ['default', 'off', null],
      ['eu', null, null],
    ]);
    expect(overview.accounts.every((a) => a.last_sync_at !== null)).toBe(true);
    const euOnly = await call(core, 'getMirrorOverview', { account: 'eu' });
    expect(euOnly.accounts.map((a) => a.name)).toEqual(['eu']);
    expect(euOnly.registrants).toEqual({ approved: 4, pending: 1, denied: 0, gone: 0, erased: 0 });
    expect(euOnly.last_sync?.run_id).toBe(core.store.db.prepare(`SELECT max(id) FROM sync_runs WHERE account = 'eu' AND status = 'completed'`).pluck().get());
    expect(overview.registrants.pending).toBeGreaterThan(euOnly.registrants.pending);
  });

  it('reads one account through the events_by_account index', () => {
    const rows = 'SELECT r.id FROM registrants r WHERE r.event_id IN (SELECT id FROM events WHERE account = ?) ORDER BY r.create_time';
    expect(plan(rows, ['eu'])).toMatch(/USING (COVERING )?INDEX events_by_account \(account=\?\)/);
    expect(plan('SELECT id FROM registrants WHERE email_norm >= ? AND email_norm < ? AND +event_id IN (SELECT id FROM events WHERE account = ?)', ['a', 'b', 'eu'])).toMatch(
      /USING (COVERING )?INDEX registrants_by_email.*USING (COVERING )?INDEX events_by_account/s,
    );
  });

  it('refuses an account it never knew, and marks the rows of a disconnected one, which stay listed', async () => {
    const unknown = await core.dispatch('listRegistrants', { account: 'nowhere' });
    expect(unknown.ok ? null : unknown.error.code).toBe('ACCOUNT_UNKNOWN');
    expect(unknown.ok ? '' : unknown.error.message).toContain('The accounts are: default, eu.');

    const gone = await call(core, 'disconnectAccount', { name: 'eu' });
    expect(gone.records_kept).toBe(5);
    const rows = await call(core, 'listRegistrants', { account: 'eu', limit: 500 });
    expect(rows.total).toBe(5);
    expect(rows.rows.every((r) => r.account_disconnected)).toBe(true);
    expect((await call(core, 'listWebinars', { account: 'eu' })).webinars[0]!.account_disconnected).toBe(true);
    expect((await call(core, 'listRegistrants', { account: 'default', limit: 5 })).rows.some((r) => r.account_disconnected)).toBe(false);
    const overview = await call(core, 'getMirrorOverview', {});
    expect(overview.accounts.find((a) => a.name === 'eu')!.disconnected_at).not.toBeNull();
  });
});
