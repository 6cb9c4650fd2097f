import { describe, expect, it } from 'vitest';
import { keytarBackend, Secrets } from '../../electron/core/secrets';
import { openCore } from '../../electron/core/service';
import { tempDataDir } from '../helpers';
import { DEMO_SUBJECT, DEMO_SUBJECT_PRIVATE, eventIdOffset } from '../../electron/core/sandbox/seed';
import type { ZoomSandbox } from '../../electron/core/sandbox/server';
import { approvedRequest, SUBJECT } from '../jobs/job-helpers';
import { call, connectedCore } from '../sync/sync-helpers';
import { control, sandbox } from './sandbox-helpers';

// Two Zoom accounts in one register, each a sandbox of its own with its own account ID (and so
// its own event numbers): connected under names, synced side by side, acted on by one job.

const EU = 'sandbox-account-eu';

async function connectSecond(core: Awaited<ReturnType<typeof connectedCore>>, box: ZoomSandbox, name = 'eu') {
  return call(core, 'connectZoom', { ...box.credentials, api_url: box.apiUrl, oauth_url: box.oauthUrl, name });
}

/** DELETEs of registrants a sandbox answered, by path. */
function deletes(box: ZoomSandbox): string[] {
  return box
    .requests()
    .filter((r) => r.method === 'DELETE' && r.path.includes('/registrants/'))
    .map((r) => r.path);
}

describe('several Zoom accounts in one desk', () => {
  it('keeps each under its name, syncs them side by side, and names the account on every record', async () => {
    const first = await sandbox({ seed: 'demo' });
    const second = await sandbox({ seed: 'demo', accountId: EU });
    const core = await connectedCore(first);
    try {
      const connected = await connectSecond(core, second);
      expect(connected).toMatchObject({ connected: true, name: 'eu', account_id: EU });
      const listed = await call(core, 'listAccounts', {});
      expect(listed.accounts.map((a) => [a.name, a.account_id, a.api_url, a.last_sync_at])).toEqual([
        ['default', 'sandbox-account', first.apiUrl, null],
        ['eu', EU, second.apiUrl, null],
      ]);

      const synced = await call(core, 'syncZoom', {});
      expect(synced.accounts.map((a) => [a.account, a.webinars, a.meetings])).toEqual([
        ['default', 3, 2],
        ['eu', 3, 2],
      ]);
      expect([synced.webinars, synced.meetings, synced.registrants]).toEqual([6, 4, 2 * synced.accounts[0]!.registrants]);
      // Side by side: each account's run was under way while the other's was.
      const runs = core.store.db.prepare('SELECT account, started_at, finished_at FROM sync_runs ORDER BY id').all() as { account: string; started_at: string; finished_at: string }[];
      expect(runs.map((r) => r.account).sort()).toEqual(['default', 'eu']);
      expect(runs[0]!.started_at <= runs[1]!.finished_at && runs[1]!.started_at <= runs[0]!.finished_at).toBe(true);
      expect((await call(core, 'listAccounts', {})).accounts.every((a) => a.last_sync_at !== null)).toBe(true);

      // The same person registered under her work address in one account and her private one in the other.
      const work = await call(core, 'findSubject', { email: SUBJECT });
      const personal = await call(core, 'findSubject', { email: DEMO_SUBJECT_PRIVATE });
      expect(new Set(work.matches.map((m) => m.account))).toEqual(new Set(['default']));
      expect(new Set(personal.matches.map((m) => m.account))).toEqual(new Set(['eu']));
      expect(personal.matches.filter((m) => m.source === 'registrant').map((m) => m.event_id)).toContain(String(eventIdOffset(EU) + 85_234_567_890));

      // Unknown names fail with ACCOUNT_UNKNOWN and change nothing.
      for (const [name, input] of [
        ['syncZoom', { account: 'us' }],
        ['disconnectAccount', { name: 'us' }],
      ] as const) {
        const answer = await core.dispatch(name, input);
        expect(answer.ok ? null : answer.error.code).toBe('ACCOUNT_UNKNOWN');
        expect(answer.ok ? '' : answer.error.message).toContain('default, eu');
      }

      // One account alone.
      const only = await call(core, 'syncZoom', { account: 'eu' });
      expect(only.accounts.map((a) => a.account)).toEqual(['eu']);

      // Disconnected: the credentials go, the records stay (marked by the account's row).
      const gone = await call(core, 'disconnectAccount', { name: 'eu' });
      expect(gone).toMatchObject({ disconnected: true, name: 'eu' });
      expect(gone.records_kept).toBeGreaterThan(0);
      const after = await call(core, 'listAccounts', {});
      expect(after.accounts.map((a) => a.name)).toEqual(['default']);
      expect(after.disconnected.map((a) => a.name)).toEqual(['eu']);
      expect((await call(core, 'findSubject', { email: DEMO_SUBJECT_PRIVATE })).matches).toHaveLength(personal.matches.length);
      const syncNamed = await core.dispatch('syncZoom', { account: 'eu' });
      expect(syncNamed.ok ? '' : syncNamed.error.message).toMatch(/was disconnected.*connect --name eu/);
      expect((await call(core, 'syncZoom', {})).accounts.map((a) => a.account)).toEqual(['default']);
    } finally {
      await core.close();
    }
  });

  it('opens a register from the days of one account with its credentials as the default account', async () => {
    const box = await sandbox({ seed: 'empty' });
    const dataDir = tempDataDir();
    await (await openCore({ dataDir })).close();
    // Credentials kept the way one account kept them: under the plain entry, with no account row.
    await new Secrets(keytarBackend(), dataDir).setZoomCredentials({ ...box.credentials, api_url: box.apiUrl, oauth_url: box.oauthUrl });
    const core = await openCore({ dataDir });
    try {
      expect((await call(core, 'listAccounts', {})).accounts.map((a) => [a.name, a.account_id, a.api_url])).toEqual([['default', 'sandbox-account', box.apiUrl]]);
      expect((await call(core, 'syncZoom', {})).accounts.map((a) => a.account)).toEqual(['default']);
    } finally {
      await core.close();
    }
  });

  it('ends a job partial naming the account whose credentials were revoked, and completes it after reconnecting without a second DELETE', async () => {
    const first = await sandbox({ seed: 'demo' });
    const second = await sandbox({ seed: 'demo', accountId: EU });
    // The subject's work address in the second account too: one request reaches both.
    const euWebinar = eventIdOffset(EU) + 81_234_567_890;
    await control(second, 'POST', 'register', { webinar_id: euWebinar, email: SUBJECT, first_name: DEMO_SUBJECT.first_name, last_name: DEMO_SUBJECT.last_name });
    const core = await connectedCore(first);
    try {
      await connectSecond(core, second);
      const id = await approvedRequest(core);
      await call(core, 'syncZoom', {}); // after the request arrived: the job plans from it
      const plan = await call(core, 'planJob', { id });
      const accountsOfSteps = new Set(plan.steps.filter((s) => s.source === 'registrant').map((s) => s.account));
      expect(accountsOfSteps).toEqual(new Set(['default', 'eu']));

      // The second account's token is revoked and its app's credentials refused, with the job's token still cached.
      await control(second, 'POST', 'faults', { refuse_credentials: true, revoke_tokens: true });
      const partial = await call(core, 'runJob', { id });
      expect(partial.status).toBe('partial');
      expect(partial.accounts_unreachable.map((u) => [u.account, u.code])).toEqual([['eu', 'ZOOM_AUTH_FAILED']]);
      expect(partial.accounts_unreachable[0]!.message).toContain('Zoom account "eu"');
      const defaultSteps = partial.steps.filter((s) => s.source === 'registrant' && s.account === 'default');
      expect(defaultSteps.length).toBeGreaterThan(0);
      expect(defaultSteps.every((s) => s.verified)).toBe(true);
      expect(partial.steps.filter((s) => s.account === 'eu').some((s) => s.verified)).toBe(false);
      const timeline = (await call(core, 'getRequest', { id })).timeline;
      expect(timeline.at(-1)!.reason).toContain('Zoom account "eu"');
      expect(deletes(second)).toEqual([]);

      // Connected again (the app's credentials accepted once more): the job resumes where it stopped.
      await control(second, 'POST', 'faults', { refuse_credentials: false });
      await connectSecond(core, second);
      const done = await call(core, 'runJob', { id });
      expect(done.status).toBe('completed');
      expect(done.accounts_unreachable).toEqual([]);
      expect(done.steps.filter((s) => s.source === 'registrant').every((s) => s.verified)).toBe(true);
      // Every registration deleted once, on the account that holds it.
      for (const box of [first, second]) {
        const sent = deletes(box);
        expect(sent.length).toBeGreaterThan(0);
        expect(new Set(sent).size).toBe(sent.length);
      }
      expect(deletes(second)).toEqual([expect.stringContaining(`/webinars/${euWebinar}/registrants/`)]);
    } finally {
      await core.close();
    }
  });
});
