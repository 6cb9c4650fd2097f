import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../electron/core/audit';
import { openCore } from '../../electron/core/service';
import { tempDataDir } from '../helpers';

async function coreWithEntries() {
  const core = await openCore({ dataDir: tempDataDir() });
  await core.dispatch('updateSettings', { organisation_name: 'Beispiel AG' });
  const filed = await core.dispatch('createRequest', { type: 'access', email: 'someone@example.org', by: 'Dana DPO' });
  const id = (filed as { ok: true; value: { id: string } }).value.id;
  await core.dispatch('verifyIdentity', { id, method: 'reply from the address', by: 'Dana DPO' });
  await core.dispatch('approveRequest', { id, by: 'Dana DPO' });
  return core;
}

describe('the audit log', () => {
  it('chains every settings change and request decision, and refuses UPDATE and DELETE', async () => {
    const core = await coreWithEntries();
    try {
      const verified = await core.dispatch('verifyAudit', {});
      expect(verified).toEqual({
        ok: true,
        value: { ok: true, entries: 4, head: expect.stringMatching(/^[0-9a-f]{64}$/), first_bad: null, anchor: { entries: 4, head: expect.any(String), at: expect.any(String) }, message: 'Intact, and it matches its anchor (entry 4).' },
      });
      const rows = core.store.db.prepare('SELECT seq, action, request_id, details FROM audit_log ORDER BY seq').all() as { action: string; details: string }[];
      expect(rows.map((r) => r.action)).toEqual(['settings.updated', 'request.received', 'request.verify_identity', 'request.approve']);
      // Entries point at the request; the subject's address is in the register, not the log.
      expect(JSON.stringify(rows)).not.toContain('someone@example.org');
      expect(() => core.store.db.prepare(`UPDATE audit_log SET actor = 'Mallory' WHERE seq = 2`).run()).toThrow(/append-only/);
      expect(() => core.store.db.prepare('DELETE FROM audit_log WHERE seq = 4').run()).toThrow(/append-only/);
    } finally {
      core.close();
    }
  });

  it('audit verify finds a changed entry, and a removed one, at the right index', async () => {
    const core = await coreWithEntries();
    try {
      const db = core.store.db;
      // Someone with the key and a SQLite shell could drop the triggers; the chain still tells.
      db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete');
      db.prepare(`UPDATE audit_log SET actor = 'Mallory' WHERE seq = 3`).run();
      expect(await core.dispatch('verifyAudit', {})).toMatchObject({ ok: true, value: { ok: false, first_bad: 3, entries: 3 } });
      db.prepare(`UPDATE audit_log SET actor = 'Dana DPO' WHERE seq = 3`).run();
      expect(await core.dispatch('verifyAudit', {})).toMatchObject({ value: { ok: true, entries: 4 } });
      db.prepare('DELETE FROM audit_log WHERE seq = 2').run();
      expect(await core.dispatch('verifyAudit', {})).toMatchObject({ value: { ok: false, first_bad: 3 } });
    } finally {
      core.close();
    }
  });

  it('encodes canonically: key order never changes a hash', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { f: 2, e: 3 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"e":3,"f":2}]},"b":1}');
  });
});
