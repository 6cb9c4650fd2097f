import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { KEYCHAIN_SERVICE, keytarBackend } from '../../electron/core/secrets';
import { openCore } from '../../electron/core/service';
import { runCli, runCliAsync, tempDataDir } from '../helpers';
import { call } from '../sync/sync-helpers';

// The security review's findings on the record itself (issue 25, item 8), each tried as an attacker would.

/** Rounds of concurrent writers; the review saw the anchor fall behind once in ~19 rounds of 12. */
const ROUNDS = Number(process.env.ANCHOR_ROUNDS ?? 4);
const WRITERS = Number(process.env.ANCHOR_WRITERS ?? 6);

describe('the audit anchor under concurrent writers from several processes', () => {
  it(`never stays behind its log (${ROUNDS} rounds of ${WRITERS} CLI writers beside the desk's own)`, { timeout: 60_000 + ROUNDS * WRITERS * 2_000 }, async () => {
    const dataDir = tempDataDir();
    const core = await openCore({ dataDir });
    const behind: string[] = [];
    try {
      for (let round = 0; round < ROUNDS; round++) {
        const plans = ['free', 'pro', 'business'] as const;
        const writers = Array.from({ length: WRITERS }, (_, n) => runCliAsync(['--json', '--data-dir', dataDir, 'settings', 'set', '--zoom-plan', plans[(n + round) % 3]!]));
        for (let n = 0; n < 4; n++) {
          await core.service.updateSettings({ erasure_address_grace_days: 10 + n + round });
          await new Promise((resolve) => setTimeout(resolve, 40));
        }
        const results = await Promise.all(writers);
        expect(results.map((r) => r.code)).toEqual(Array(WRITERS).fill(0));
        const verdict = await core.service.verifyAudit({});
        expect(verdict.ok).toBe(true);
        if (verdict.anchor?.entries !== verdict.entries) behind.push(`round ${round}: log ${verdict.entries}, anchor ${verdict.anchor?.entries}`);
      }
    } finally {
      await core.close();
    }
    console.log(`anchor rounds: ${ROUNDS}, left behind: ${behind.length}${behind.length ? ` (${behind.join('; ')})` : ''}`);
    expect(behind).toEqual([]);
  });
});

describe('audit verify says when it can not confirm the log', () => {
  it('reports a missing anchor beside a log with entries as a finding, and exits non-zero', async () => {
    const dataDir = tempDataDir();
    const core = await openCore({ dataDir });
    await core.service.updateSettings({ zoom_plan: 'business' });
    await core.close();
    await keytarBackend().remove(KEYCHAIN_SERVICE, `audit-anchor@${path.resolve(dataDir)}`);
    const verdict = runCli(['--json', '--data-dir', dataDir, 'audit', 'verify']);
    expect(verdict.json).toMatchObject({ ok: false, entries: 1, first_bad: null, anchor: null, message: expect.stringContaining('holds no anchor') });
    expect(verdict.code).toBe(1);
  });

  it('exits non-zero on a broken chain, with and without --json', async () => {
    const dataDir = tempDataDir();
    const core = await openCore({ dataDir });
    await core.service.updateSettings({ zoom_plan: 'business' });
    await core.service.updateSettings({ zoom_plan: 'pro' });
    core.store.db.exec('DROP TRIGGER audit_log_no_update');
    core.store.db.prepare(`UPDATE audit_log SET actor = 'Mallory' WHERE seq = 1`).run();
    await core.close();
    const json = runCli(['--json', '--data-dir', dataDir, 'audit', 'verify']);
    expect(json.json).toMatchObject({ ok: false, first_bad: 1 });
    expect(json.code).toBe(1);
    const text = runCli(['--data-dir', dataDir, 'audit', 'verify']);
    expect(text.stdout).toContain('BROKEN at entry 1');
    expect(text.code).toBe(1);
  });
});

describe('a data folder that is not one the app can safely use gets a named error within a second', () => {
  const refuse = (dataDir: string) => {
    const started = Date.now();
    const run = runCli(['--json', '--data-dir', dataDir, 'status']);
    return { ...run, ms: Date.now() - started, error: (run.json as { error?: { code: string; message: string } } | undefined)?.error };
  };

  it.each([
    [
      'is a file',
      () => {
        const file = path.join(tempDataDir(), 'a-file');
        fs.writeFileSync(file, 'x');
        return file;
      },
      'DATA_DIR_INVALID',
      /is a file, not a folder/,
    ],
    [
      'is under a file',
      () => {
        const file = path.join(tempDataDir(), 'a-file');
        fs.writeFileSync(file, 'x');
        return path.join(file, 'data');
      },
      'DATA_DIR_INVALID',
      /which is a file, not a folder/,
    ],
    ['is under a folder nobody may create in (/proc)', () => '/proc/1/nope', 'DATA_DIR_INVALID', /not writable|can't be created/],
    [
      'is writable by every user',
      () => {
        const dir = tempDataDir();
        fs.chmodSync(dir, 0o777);
        return dir;
      },
      'DATA_DIR_UNSAFE',
      /chmod 700/,
    ],
  ])('%s', (_what, make, code, message) => {
    const dataDir = make();
    const run = refuse(dataDir);
    expect(run.code).toBe(1);
    expect(run.error).toMatchObject({ code, message: expect.stringMatching(message) });
    expect(run.stderr).not.toContain('unexpected error');
    // Node itself takes a few hundred ms to start; the check adds nothing measurable (the /proc case spun forever before).
    expect(run.ms).toBeLessThan(3000);
    if (fs.existsSync(dataDir) && fs.statSync(dataDir).isDirectory()) expect(fs.readdirSync(dataDir)).toEqual([]);
  });

  it('never follows a link planted in the folder out of it', async () => {
    const dataDir = tempDataDir();
    const core = await openCore({ dataDir });
    const filed = await call(core, 'createRequest', { type: 'erasure', email: 'linked@example.org', by: 'Dana DPO' });
    await core.close();
    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'dsr-desk-elsewhere-'));
    try {
      fs.symlinkSync(elsewhere, path.join(dataDir, 'documents'));
      const run = runCli(['--json', '--data-dir', dataDir, 'request', 'show', filed.id]);
      expect(run.code).toBe(1);
      expect((run.json as { error: { code: string; message: string } }).error).toMatchObject({
        code: 'DATA_DIR_UNSAFE',
        message: expect.stringContaining(`${path.join(dataDir, 'documents')} is a link`),
      });
      expect(fs.readdirSync(elsewhere)).toEqual([]);
    } finally {
      fs.rmSync(elsewhere, { recursive: true, force: true });
    }
  });
});
