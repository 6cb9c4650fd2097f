import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../electron/core/audit';
import { openCore, type Core } from '../../electron/core/service';
import { runCli, tempDataDir } from '../helpers';

async function coreWithEntries(dataDir = tempDataDir()): Promise<Core> {
  const core = await openCore({ dataDir });
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
        value: {
          ok: true,
          entries: 4,
          head: expect.stringMatching(/^[0-9a-f]{64}$/),
          first_bad: null,
          anchor: { entries: 4, head: expect.any(String), at: expect.any(String) },
          finding: 'intact',
          message: 'Intact, and it matches its anchor (entry 4).',
        },
      });
      const rows = core.store.db.prepare('SELECT seq, action, request_id, details FROM audit_log ORDER BY seq').all() as { action: string; details: string }[];
      expect(rows.map((r) => r.action)).toEqual(['settings.updated', 'request.received', 'request.verify_identity', 'request.approve']);
      // Entries point at the request; the subject's address is in the register, not the log.
      expect(JSON.stringify(rows)).not.toContain('someone@example.org');
      expect(() => core.store.db.prepare(`UPDATE audit_log SET actor = 'Mallory' WHERE seq = 2`).run()).toThrow(/append-only/);
      expect(() => core.store.db.prepare('DELETE FROM audit_log WHERE seq = 4').run()).toThrow(/append-only/);
    } finally {
      await core.close();
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
      await core.close();
    }
  });

  it('encodes canonically: key order never changes a hash', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { f: 2, e: 3 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"e":3,"f":2}]},"b":1}');
  });
});

// The recipe in docs/architecture.md, and nothing of DSR Desk: what an auditor would write with any SHA-256 tool.
const RECOMPUTE = `
import hashlib, json, sys
prev = "0" * 64
for n, line in enumerate(open(sys.argv[1], encoding="utf-8"), start=1):
    entry = json.loads(line)
    claimed = entry.pop("hash")
    assert entry["seq"] == n, ("seq", n)
    assert entry["prev_hash"] == prev, ("prev_hash", n)
    canonical = json.dumps(entry, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    computed = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    assert computed == claimed, ("hash", n, computed, claimed)
    prev = computed
print(n, prev)
`;

describe("the audit log can't be cut short, and an auditor can check it without us", () => {
  it('anchors its head in the keychain; verify reports a deleted tail', async () => {
    const core = await coreWithEntries();
    try {
      const intact = await core.service.verifyAudit({});
      expect(intact).toMatchObject({ ok: true, entries: 4, anchor: { entries: 4, head: intact.head } });
      const db = core.store.db;
      db.exec('DROP TRIGGER audit_log_no_delete');
      db.prepare('DELETE FROM audit_log WHERE seq > 2').run();
      expect(await core.service.verifyAudit({})).toMatchObject({
        ok: false,
        entries: 2,
        first_bad: 3,
        message: expect.stringMatching(/^The log ends at entry 2; its anchor \(.+\) says 4: entries were cut off, or an older copy of the database was restored\.$/),
      });
    } finally {
      await core.close();
    }
  });

  it('verify reports an older copy of the database put back, and the anchor keeps saying so after new entries', async () => {
    const dataDir = tempDataDir();
    const db = path.join(dataDir, 'dsr-desk.db');
    await (await coreWithEntries(dataDir)).close();
    fs.copyFileSync(db, `${db}.backup`);
    const later = await openCore({ dataDir });
    await later.dispatch('updateSettings', { zoom_plan: 'business' });
    await later.dispatch('updateSettings', { zoom_plan: 'pro' });
    await later.close();
    expect(runCli(['--json', '--data-dir', dataDir, 'audit', 'verify']).json).toMatchObject({ ok: true, entries: 6 });

    fs.copyFileSync(`${db}.backup`, db);
    const verdict = runCli(['--json', '--data-dir', dataDir, 'audit', 'verify']);
    expect(verdict.json).toMatchObject({
      ok: false,
      entries: 4,
      first_bad: 5,
      anchor: { entries: 6 },
      finding: 'cut',
      message: expect.stringMatching(/^The log ends at entry 4; its anchor .* says 6/),
    });
    // New entries on the restored copy don't wash it clean: its entry 6 is not the anchored one.
    const restored = await openCore({ dataDir });
    for (const plan of ['business', 'pro', 'free'] as const) await restored.dispatch('updateSettings', { zoom_plan: plan });
    expect(await restored.service.verifyAudit({})).toMatchObject({ ok: false, entries: 7, first_bad: 6, message: 'Entry 6 differs from the anchor: the log was replaced by another copy.' });
    await restored.close();
  });

  it('audit export writes every entry with its hash; the documented recipe alone recomputes the chain to the same head', async () => {
    const dataDir = tempDataDir();
    const core = await coreWithEntries(dataDir);
    // Text outside ASCII, and a details object: the encoding must hold for both.
    await core.dispatch('updateSettings', { organisation_name: 'Beispiel Straße GmbH — Köln' });
    const head = (await core.service.verifyAudit({})).head;
    await core.close();
    const out = path.join(dataDir, 'audit.jsonl');
    const exported = runCli(['--json', '--data-dir', dataDir, 'audit', 'export', '--out', out]);
    expect(exported.json).toEqual({ path: out, entries: 5, head });
    const python = spawnSync('python3', ['-c', RECOMPUTE, out], { encoding: 'utf8' });
    expect(python.stderr).toBe('');
    expect(python.stdout.trim()).toBe(`5 ${head}`);
    // Never overwritten silently.
    const again = runCli(['--json', '--data-dir', dataDir, 'audit', 'export', '--out', out]);
    expect(again).toMatchObject({ code: 2, json: { error: { code: 'OUTPUT_EXISTS', message: expect.stringContaining(`${out} exists`) } } });
    expect(runCli(['--json', '--data-dir', dataDir, 'audit', 'export', '--out', out, '--force']).code).toBe(0);
    // A folder that isn't there: a clear error, and nothing half-written.
    const nowhere = path.join(dataDir, 'missing', 'audit.jsonl');
    expect(runCli(['--json', '--data-dir', dataDir, 'audit', 'export', '--out', nowhere]).json).toEqual({
      error: { code: 'OUTPUT_UNWRITABLE', message: `Could not write ${nowhere} (ENOENT); nothing was written. Choose a folder you can write to.` },
    });
    expect(fs.readdirSync(dataDir).filter((f) => f.endsWith('.partial'))).toEqual([]);
  });
});
