import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { newIdentity } from '../../electron/core/backup/age';
import { LEDGER_FILE } from '../../electron/core/backup/ledger';
import { KEYCHAIN_SERVICE, keytarBackend } from '../../electron/core/secrets';
import { openCore, type Core } from '../../electron/core/service';
import { approvedRequest, SUBJECT } from '../jobs/job-helpers';
import { call, connectedCore, dataDirOf } from '../sync/sync-helpers';
import { CLI, runCli, runCliAsync, tempDataDir } from '../helpers';
import { sandbox } from '../zoom/sandbox-helpers';
import { fileHashes, filesHolding, inFreshKeychain, recoveryKey } from './backup-helpers';

// Backups, the recovery key, restore and unlock (issue 25), against the real sandbox, a real
// encrypted store, real keychains (a second, separate one for "another machine") and Debian's age.

/** The demo account synced, the demo subject erased, an access request open, the evidence written into the data folder. */
async function demoDesk(): Promise<{ core: Core; box: Awaited<ReturnType<typeof sandbox>>; erasure: string; access: string }> {
  const box = await sandbox({ seed: 'demo' });
  const core = await connectedCore(box);
  await call(core, 'syncZoom', {});
  const erasure = await approvedRequest(core);
  expect((await call(core, 'runJob', { id: erasure })).status).toBe('completed');
  await call(core, 'writeEvidence', { id: erasure });
  const access = await approvedRequest(core, 'access', 'max.mueller@example.org');
  return { core, box, erasure, access };
}

function backupFolder(): string {
  const dir = tempDataDir();
  fs.chmodSync(dir, 0o700);
  return dir;
}

describe('a backup restored on another machine', () => {
  it('gives back the same register, audit chain and documents, records the restore, and runs a job after connect', { timeout: 240_000 }, async () => {
    const { core, box, erasure, access } = await demoDesk();
    const source = dataDirOf(core);
    const { identity } = await recoveryKey(core);
    const out = path.join(backupFolder(), 'desk.age');
    const written = await call(core, 'writeBackup', { out });
    expect(written.counts.requests).toBe(2);
    const requests = await call(core, 'listRequests', {});
    const exported = core.exportAudit(path.join(backupFolder(), 'audit.jsonl'), false);
    const auditLines = fs.readFileSync(exported.path, 'utf8').split('\n').filter(Boolean);
    const documents = fileHashes(path.join(source, 'documents'));
    expect(Object.keys(documents).length).toBeGreaterThan(0);
    await core.close();

    const target = path.join(tempDataDir(), 'restored');
    const script = [
      `printf '%s\\n' "$IDENTITY" | $CLI --json --data-dir ${target} restore --from ${out} --identity-stdin`,
      `$CLI --json --data-dir ${target} request list`,
      `$CLI --json --data-dir ${target} audit verify`,
      `$CLI --json --data-dir ${target} audit export --out ${target}.audit.jsonl >/dev/null && echo '{"exported":true}'`,
      `$CLI --json --data-dir ${target} connect --sandbox --sandbox-port ${box.port}`,
      `$CLI --json --data-dir ${target} job run ${access}`,
    ].join(' && ');
    const run = await inFreshKeychain(`export IDENTITY='${identity}'; ${script}`);
    const [restored, list, verdict, , , job] = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(run.code, run.stderr).toBe(0);
    expect(restored).toMatchObject({ restored: true, requests: 2, audit: { ok: true }, reerased: 0 });
    expect(list).toEqual(requests);
    // The chain is the backup's, entry for entry, plus one entry that says it was restored.
    const restoredLines = fs.readFileSync(`${target}.audit.jsonl`, 'utf8').split('\n').filter(Boolean);
    expect(restoredLines.slice(0, written.audit.entries)).toEqual(auditLines.slice(0, written.audit.entries));
    expect(JSON.parse(restoredLines[written.audit.entries]!)).toMatchObject({
      action: 'backup.restored',
      details: { summary: `restored from a backup taken at ${written.taken_at} (entries 1..${written.audit.entries}, head ${written.audit.head})` },
    });
    expect(verdict).toMatchObject({ ok: true, first_bad: null });
    expect(fileHashes(path.join(target, 'documents'))).toEqual(documents);
    // A new database key in the new keychain: not the source's.
    expect(job).toMatchObject({ request_id: access, status: 'completed' });
    expect(await keytarBackend().get(KEYCHAIN_SERVICE, `database-key@${target}`)).toBeNull();
    expect(erasure).toMatch(/^DSR-/);
  });

  it("is an age file that Debian's age opens, holding a tar whose audit log the documented recipe recomputes", async () => {
    const core = await openCore({ dataDir: tempDataDir() });
    await call(core, 'createRequest', { type: 'access', email: 'someone@example.org', by: 'Dana DPO' });
    const { identity } = await recoveryKey(core);
    const folder = backupFolder();
    const written = await call(core, 'writeBackup', { out: path.join(folder, 'b.age') });
    await core.close();
    fs.writeFileSync(path.join(folder, 'key.txt'), `${identity}\n`, { mode: 0o600 });
    const plain = spawnSync('age', ['-d', '-i', path.join(folder, 'key.txt'), written.path]);
    expect(plain.status, String(plain.stderr)).toBe(0);
    const listing = spawnSync('tar', ['-t'], { input: plain.stdout, encoding: 'utf8' });
    expect(listing.stdout.trim().split('\n')).toEqual(['keys.json', 'store/dsr-desk.db', 'audit.jsonl', 'manifest.json']);
    const manifest = JSON.parse(spawnSync('tar', ['-xO', 'manifest.json'], { input: plain.stdout, encoding: 'utf8' }).stdout) as { audit: { head: string; entries: number } };
    expect(manifest.audit).toEqual(written.audit);
    const audit = spawnSync('tar', ['-xO', 'audit.jsonl'], { input: plain.stdout }).stdout;
    const recompute = `
import hashlib, json, sys
prev = "0" * 64
for n, line in enumerate(sys.stdin.read().splitlines(), start=1):
    entry = json.loads(line); claimed = entry.pop("hash")
    assert entry["seq"] == n and entry["prev_hash"] == prev
    prev = hashlib.sha256(json.dumps(entry, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()).hexdigest()
    assert prev == claimed
print(n, prev)`;
    expect(spawnSync('python3', ['-c', recompute], { input: audit, encoding: 'utf8' }).stdout.trim()).toBe(`${written.audit.entries} ${written.audit.head}`);
  });
});

describe('nothing in plaintext', () => {
  it("no file written while a backup and a restore of the demo store run holds the subject's address or name", { timeout: 180_000 }, async () => {
    const { core } = await demoDesk();
    const source = dataDirOf(core);
    const { identity } = await recoveryKey(core);
    await core.close();
    const folder = backupFolder();
    const target = path.join(tempDataDir(), 'restored');
    const before = new Set(fs.readdirSync(os.tmpdir()));
    const roots = () => [
      source,
      folder,
      target,
      ...fs
        .readdirSync(os.tmpdir())
        .filter((n) => !before.has(n))
        .map((n) => path.join(os.tmpdir(), n)),
    ];
    const needles = [SUBJECT, 'Mustermann'];
    const seen = new Set<string>();
    let scans = 0;
    const watcher = setInterval(() => {
      scans++;
      for (const file of filesHolding(roots(), needles)) seen.add(file);
    }, 25);
    try {
      const backup = await runCliAsync(['--json', '--data-dir', source, 'backup', '--out', path.join(folder, 'b.age')]);
      expect(backup.code, backup.stderr).toBe(0);
      const restore = await new Promise<{ code: number | null }>((resolve) => {
        const child = spawn(process.execPath, [CLI, '--json', '--data-dir', target, 'restore', '--from', path.join(folder, 'b.age'), '--identity-stdin']);
        child.stdin.end(`${identity}\n`);
        child.once('exit', (code: number | null) => resolve({ code }));
      });
      expect(restore.code).toBe(0);
    } finally {
      clearInterval(watcher);
    }
    for (const file of filesHolding(roots(), needles)) seen.add(file);
    console.log(`plaintext scans during backup and restore: ${scans}, files holding the subject: ${seen.size}`);
    expect(scans).toBeGreaterThan(5);
    expect([...seen]).toEqual([]);
  });
});

describe('refusals: each with its own code, and nothing written', () => {
  it('wrong identity, a flipped byte, a file cut short, a backup from a newer schema, a target that holds a store', { timeout: 120_000 }, async () => {
    const core = await openCore({ dataDir: tempDataDir() });
    await call(core, 'createRequest', { type: 'erasure', email: 'someone@example.org', by: 'Dana DPO' });
    const { identity, recipient } = await recoveryKey(core);
    const folder = backupFolder();
    const good = (await call(core, 'writeBackup', { out: path.join(folder, 'good.age') })).path;
    await core.close();
    const bytes = fs.readFileSync(good);
    const flipped = path.join(folder, 'flipped.age');
    const middle = Buffer.from(bytes);
    middle[Math.floor(middle.length / 2)]! ^= 0x01;
    fs.writeFileSync(flipped, middle);
    const cut = path.join(folder, 'cut.age');
    fs.writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    // A newer schema, made with nothing of ours: age and tar, as someone with a newer DSR Desk would have it.
    const work = fs.mkdtempSync(path.join(folder, 'future-'));
    fs.writeFileSync(path.join(work, 'key.txt'), `${identity}\n`);
    const future = path.join(folder, 'future.age');
    const rewrap = spawnSync('bash', [
      '-c',
      `set -e; cd ${work}; age -d -i key.txt ${good} | tar -x; python3 -c "
import json; m = json.load(open('manifest.json')); m['schema_version'] = 990; m['app_version'] = '9.0.0'; json.dump(m, open('manifest.json', 'w'))"
      tar -c keys.json store/dsr-desk.db audit.jsonl manifest.json | age -r ${recipient} -o ${future}`,
    ]);
    expect(rewrap.status, String(rewrap.stderr)).toBe(0);
    const stranger = (await newIdentity()).identity;

    const refusals: [string, string, string][] = [
      [good, stranger, 'BACKUP_IDENTITY_WRONG'],
      [flipped, identity, 'BACKUP_CORRUPT'],
      [cut, identity, 'BACKUP_CORRUPT'],
      [future, identity, 'BACKUP_FROM_FUTURE'],
    ];
    for (const [file, key, code] of refusals) {
      const target = path.join(tempDataDir(), 'target');
      const restore = runCli(['--json', '--data-dir', target, 'restore', '--from', file, '--identity-stdin'], { input: `${key}\n` });
      expect({ file: path.basename(file), error: (restore.json as { error: { code: string } }).error.code }).toEqual({ file: path.basename(file), error: code });
      expect(restore.code).toBe(1);
      expect(fs.existsSync(target)).toBe(false);
      expect(await keytarBackend().get(KEYCHAIN_SERVICE, `database-key@${target}`)).toBeNull();
      const nowhere = tempDataDir();
      const verify = runCli(['--json', '--data-dir', nowhere, 'backup', 'verify', file, '--identity-stdin'], { input: `${key}\n` });
      expect((verify.json as { error: { code: string } }).error.code).toBe(code);
      expect(fs.readdirSync(nowhere)).toEqual([]);
    }
    const occupied = tempDataDir();
    await (await openCore({ dataDir: occupied })).close();
    const store = fs.readFileSync(path.join(occupied, 'dsr-desk.db'));
    const refused = runCli(['--json', '--data-dir', occupied, 'restore', '--from', good, '--identity-stdin'], { input: `${identity}\n` });
    expect((refused.json as { error: { code: string } }).error.code).toBe('RESTORE_TARGET_NOT_EMPTY');
    expect(fs.readFileSync(path.join(occupied, 'dsr-desk.db')).equals(store)).toBe(true);
    // --force moves the store aside, never deletes it.
    const forced = runCli(['--json', '--data-dir', occupied, 'restore', '--from', good, '--identity-stdin', '--force'], { input: `${identity}\n` });
    expect(forced.json).toMatchObject({ restored: true, requests: 1 });
    const aside = (forced.json as { moved_aside: string }).moved_aside;
    expect(fs.readFileSync(path.join(aside, 'dsr-desk.db')).equals(store)).toBe(true);
    expect(runCli(['--json', '--data-dir', aside, 'status']).json).toMatchObject({ encrypted: true });
  });
});

describe('unlock with the recovery key', () => {
  it('a copy of the data folder under another path says DATABASE_KEY_MISSING and names unlock; unlock opens it', async () => {
    const dataDir = tempDataDir();
    const core = await openCore({ dataDir });
    const filed = await call(core, 'createRequest', { type: 'access', email: 'someone@example.org', by: 'Dana DPO' });
    const { identity } = await recoveryKey(core);
    await core.close();
    const copy = path.join(tempDataDir(), 'copied');
    fs.cpSync(dataDir, copy, { recursive: true });
    const locked = runCli(['--json', '--data-dir', copy, 'request', 'list']);
    expect((locked.json as { error: { code: string; message: string } }).error).toMatchObject({
      code: 'DATABASE_KEY_MISSING',
      message: expect.stringContaining('dsr-desk unlock --identity-stdin'),
      hint: { action: 'unlock' },
    });
    expect(runCli(['--json', '--data-dir', copy, 'unlock', '--identity-stdin'], { input: `${(await newIdentity()).identity}\n` }).json).toMatchObject({ error: { code: 'BACKUP_IDENTITY_WRONG' } });
    expect(runCli(['--json', '--data-dir', copy, 'unlock', '--identity-stdin'], { input: `${identity}\n` }).json).toEqual({ unlocked: true });
    expect(runCli(['--json', '--data-dir', copy, 'request', 'list']).json).toMatchObject({ requests: [{ id: filed.id }] });
    const verdict = runCli(['--json', '--data-dir', copy, 'audit', 'verify']);
    expect(verdict.json).toMatchObject({ ok: true });
    const exported = runCli(['--json', '--data-dir', copy, 'audit', 'export', '--out', `${copy}.jsonl`]);
    expect(exported.code).toBe(0);
    expect(fs.readFileSync(`${copy}.jsonl`, 'utf8')).toContain('"action":"store.unlocked"');
  });
});

describe('erased stays erased, backups included', () => {
  it('restoring a backup taken before an erasure applies the ledger: the subject is gone before the store answers, the request flagged', { timeout: 180_000 }, async () => {
    const box = await sandbox({ seed: 'demo' });
    const core = await connectedCore(box);
    await call(core, 'syncZoom', {});
    const { identity } = await recoveryKey(core);
    const folder = backupFolder();
    await call(core, 'updateSettings', { backup_folder: folder, backup_after_erasure: false });
    const id = await approvedRequest(core);
    const older = await call(core, 'writeBackup', { out: path.join(folder, 'before-erasure.age') });
    expect((await call(core, 'findSubject', { email: SUBJECT })).matches.length).toBeGreaterThan(0);
    expect((await call(core, 'runJob', { id })).status).toBe('completed');
    await core.close();
    expect(fs.existsSync(path.join(folder, LEDGER_FILE))).toBe(true);
    expect(filesHolding([folder], [SUBJECT, 'Mustermann'])).toEqual([]);

    const target = path.join(tempDataDir(), 'restored');
    const restored = runCli(['--json', '--data-dir', target, 'restore', '--from', older.path, '--identity-stdin'], { input: `${identity}\n` });
    expect(restored.json).toMatchObject({ restored: true, reerased: 1 });
    const found = runCli(['--json', '--data-dir', target, 'find', '--email', SUBJECT]);
    expect(found.json).toMatchObject({ matches: [] });
    const shown = runCli(['--json', '--data-dir', target, 'request', 'show', id]).json as { status: string; reverify: unknown; timeline: { action: string }[] };
    expect(shown.reverify).toMatchObject({ erased_at: expect.any(String) });
    expect(shown.timeline.map((e) => e.action)).toContain('erasure_reapplied');
    expect(runCli(['--json', '--data-dir', target, 'audit', 'verify']).json).toMatchObject({ ok: true });
  });

  it('a backup taken before the recovery key was replaced restores with the old key, its ledger included', { timeout: 180_000 }, async () => {
    const box = await sandbox({ seed: 'demo' });
    const core = await connectedCore(box);
    await call(core, 'syncZoom', {});
    const old = await recoveryKey(core);
    const folder = backupFolder();
    await call(core, 'updateSettings', { backup_folder: folder, backup_after_erasure: false });
    const id = await approvedRequest(core);
    const before = await call(core, 'writeBackup', { out: path.join(folder, 'before.age') });
    await call(core, 'createRecoveryKey', { force: true });
    expect((await call(core, 'runJob', { id })).status).toBe('completed');
    await core.close();
    const target = path.join(tempDataDir(), 'restored');
    const restored = runCli(['--json', '--data-dir', target, 'restore', '--from', before.path, '--identity-stdin'], { input: `${old.identity}\n` });
    expect(restored.json).toMatchObject({ restored: true, reerased: 1 });
    expect(runCli(['--json', '--data-dir', target, 'find', '--email', SUBJECT]).json).toMatchObject({ matches: [] });
  });
});

describe('backups without the DPO remembering', () => {
  it('backup --auto writes into the folder, keeps the newest N, and records each backup and deletion in the audit log', async () => {
    let clock = Date.parse('2026-12-01T09:00:00Z');
    const dataDir = tempDataDir();
    const core = await openCore({ dataDir, now: () => new Date(clock) });
    await recoveryKey(core);
    const folder = backupFolder();
    await call(core, 'updateSettings', { backup_folder: folder, backup_keep: 2 });
    expect((await call(core, 'getBackupStatus', {})).overdue).toBe(true);
    const runs: { path: string; deleted: string[] }[] = [];
    for (let n = 0; n < 3; n++) {
      runs.push(await call(core, 'runAutoBackup', {}));
      clock += 3_600_000;
    }
    expect(runs.map((r) => r.deleted.length)).toEqual([0, 0, 1]);
    expect(
      fs
        .readdirSync(folder)
        .filter((n) => n.endsWith('.age') && n !== LEDGER_FILE)
        .sort(),
    ).toEqual(
      runs
        .slice(1)
        .map((r) => path.basename(r.path))
        .sort(),
    );
    const status = await call(core, 'getBackupStatus', {});
    expect(status).toMatchObject({ last: { path: runs[2]!.path }, overdue: false });
    const log = await call(core, 'listAudit', { action: 'backup', limit: 50, offset: 0 });
    expect(log.entries.map((e) => e.action).sort()).toEqual(['backup.deleted', 'backup.written', 'backup.written', 'backup.written']);
    expect(log.entries.find((e) => e.action === 'backup.deleted')!.details).toMatchObject({ file: path.basename(runs[0]!.path), sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    await core.close();
  });

  it('the schedule the desk and watch run takes a backup when one is due, and none while the last is fresh', async () => {
    const core = await openCore({ dataDir: tempDataDir() });
    await recoveryKey(core);
    const folder = backupFolder();
    await call(core, 'updateSettings', { backup_folder: folder, backup_interval_hours: 24 });
    const backups = () => fs.readdirSync(folder).filter((n) => n.startsWith('dsr-desk-backup-'));
    const first = core.startBackupSchedule();
    for (let waited = 0; backups().length === 0 && waited < 20_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
    await first.stop();
    expect(backups()).toHaveLength(1);
    const second = core.startBackupSchedule();
    await new Promise((resolve) => setTimeout(resolve, 300));
    await second.stop();
    expect(backups()).toHaveLength(1);
    expect((await call(core, 'getBackupStatus', {})).overdue).toBe(false);
    await core.close();
  });

  it('refuses a backup without a recovery key, saying how to make one, and writes nothing', async () => {
    const folder = backupFolder();
    const run = runCli(['--json', '--data-dir', tempDataDir(), 'backup', '--out', path.join(folder, 'b.age')]);
    expect((run.json as { error: { code: string; message: string } }).error).toMatchObject({ code: 'RECOVERY_KEY_MISSING', message: expect.stringContaining('recovery-key create') });
    expect(fs.readdirSync(folder)).toEqual([]);
  });

  it('backup verify decrypts in memory and prints the manifest; the last backup reads verified', async () => {
    const core = await openCore({ dataDir: tempDataDir() });
    const { identity } = await recoveryKey(core);
    const folder = backupFolder();
    await call(core, 'updateSettings', { backup_folder: folder });
    const written = await call(core, 'runAutoBackup', {});
    const listed = fs.readdirSync(folder).sort();
    const verified = await call(core, 'verifyBackup', { file: written.path, identity });
    expect(verified).toMatchObject({ ok: true, manifest: { audit: written.audit } });
    expect(fs.readdirSync(folder).sort()).toEqual(listed);
    expect((await call(core, 'getBackupStatus', {})).last).toMatchObject({ verified_at: expect.any(String) });
    await core.close();
  });
});
