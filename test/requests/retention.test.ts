import { describe, expect, it } from 'vitest';
import { openCore, type Core } from '../../electron/core/service';
import { keytarBackend, KEYCHAIN_SERVICE } from '../../electron/core/secrets';
import { tempDataDir } from '../helpers';
import { approvedRequest, SUBJECT } from '../jobs/job-helpers';
import { call, connectedCore, dataDirOf } from '../sync/sync-helpers';
import { control, sandbox } from '../zoom/sandbox-helpers';

let clock = new Date();
const advance = (days: number) => (clock = new Date(clock.getTime() + days * 86_400_000));

async function refusedErasure(c: Core, email: string): Promise<string> {
  const { id } = await call(c, 'createRequest', { type: 'erasure', email, by: 'Dana DPO' });
  await call(c, 'refuseRequest', { id, by: 'Dana DPO', reason: 'not a registrant of ours', article: '12(5)' });
  return id;
}

describe('minimal identifiers in the register', () => {
  it('a closed erasure keeps the full address for the grace period only, then the masked address and the keyed hash; the purge runs while the app stays open', async () => {
    clock = new Date('2026-11-02T09:00:00Z');
    const c = await openCore({ dataDir: tempDataDir(), now: () => clock, purgeEveryMs: 50 });
    try {
      await call(c, 'updateSettings', { erasure_address_grace_days: 10 });
      const id = await refusedErasure(c, 'Erika.Mustermann@Example.com');
      const access = (await call(c, 'createRequest', { type: 'access', email: 'keep@example.org', by: 'Dana DPO' })).id;
      advance(9);
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(await call(c, 'getRequest', { id })).toMatchObject({ subject_email: SUBJECT, address_purged_at: null });

      advance(2); // past the grace period, with the app still open: the hourly purge (here every 50 ms) takes it
      await new Promise((resolve) => setTimeout(resolve, 150));
      const purged = await call(c, 'getRequest', { id });
      expect(purged).toMatchObject({ subject_email: null, subject_masked: 'e***@example.com', address_purged_at: clock.toISOString(), status: 'refused' });
      expect(purged.subject_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(purged.timeline.at(-1)).toMatchObject({ action: 'address_purged', by: 'retention' });
      expect(JSON.stringify(purged)).not.toContain('erika.mustermann');
      // An access request is not an erasure: it keeps the address until the retention period.
      expect(await call(c, 'getRequest', { id: access })).toMatchObject({ subject_email: 'keep@example.org' });
      expect(await call(c, 'verifyAudit', {})).toMatchObject({ ok: true });
    } finally {
      await c.close();
    }
  });

  it('retention also reaches a request stuck partial for longer than the retention period', async () => {
    clock = new Date();
    const box = await sandbox({ seed: 'demo' });
    const first = await connectedCore(box);
    const dataDir = dataDirOf(first);
    await first.close();
    const c = await openCore({ dataDir, now: () => clock });
    try {
      const id = await approvedRequest(c);
      await call(c, 'syncZoom', {});
      await control(box, 'POST', 'plan', { plan: 'free' });
      await control(box, 'POST', 'faults', { exhaust_daily: 'light' });
      expect(await call(c, 'runJob', { id })).toMatchObject({ status: 'partial' });
    } finally {
      await c.close();
    }
    clock = new Date(clock.getTime() + (3 * 365 + 2) * 86_400_000);
    const later = await openCore({ dataDir, now: () => clock });
    try {
      const [request] = (await call(later, 'listRequests', {})).requests;
      expect(await call(later, 'getRequest', { id: request!.id })).toMatchObject({ status: 'partial', subject_email: null, purged_at: clock.toISOString() });
    } finally {
      await later.close();
    }
  });
});

describe('a missing suppression key', () => {
  it('is a loud error while erased subjects exist, never a new key made in silence', async () => {
    const box = await sandbox({ seed: 'demo' });
    const core = await connectedCore(box);
    const dataDir = dataDirOf(core);
    const id = await approvedRequest(core);
    await call(core, 'syncZoom', {});
    expect(await call(core, 'runJob', { id })).toMatchObject({ status: 'completed' });
    await core.close();

    const account = `suppression-key@${dataDir}`;
    expect(await keytarBackend().remove(KEYCHAIN_SERVICE, account)).toBe(true);
    const reopened = await openCore({ dataDir });
    try {
      const refused = await reopened.dispatch('syncZoom', {});
      expect(refused).toMatchObject({ ok: false, error: { code: 'SUPPRESSION_KEY_MISSING', message: expect.stringMatching(/no new key was made.*Restore the keychain entry/s) } });
      expect(await keytarBackend().get(KEYCHAIN_SERVICE, account)).toBeNull();
      expect(await reopened.dispatch('findSubject', { email: SUBJECT })).toMatchObject({ ok: false, error: { code: 'SUPPRESSION_KEY_MISSING' } });
    } finally {
      await reopened.close();
    }
  });
});
