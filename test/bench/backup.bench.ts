import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCore } from '../../electron/core/service';
import { MirrorWriter } from '../../electron/core/store/mirror-writer';
import { startRun } from '../../electron/core/sync/runs';
import type { ZoomRegistrant } from '../../electron/core/zoom/types';
import { CLI, REPO_ROOT, tempDataDir } from '../helpers';
import { registrantPages } from './generate';

// Backup and restore of a store with 1,000,000 registrants (issue 25): each as the CLI runs it, in a
// child process, its wall time and peak resident memory (VmHWM), against SQLite's own copy of the
// same store into an encrypted file, measured in the same run.
//
// The reference: the issue names SQLite's online backup API (better-sqlite3's db.backup()). With
// SQLite3 Multiple Ciphers that API refuses to copy an encrypted store into a file it opens itself
// ("backup is not supported with incompatible source and target databases": better-sqlite3 can't
// key the destination), so the bench tries it, prints the refusal, and measures SQLite's other
// online copy, VACUUM INTO, which writes the copy encrypted with the store's own cipher and key.

const REGISTRANTS = 1_000_000;
const WEBINARS = 50;
const GOALS = { backup: 2, restore: 3, rssMib: 400 };

interface Measured {
  ms: number;
  peakMib: number;
  stdout: string;
  stderr: string;
}

/** A child process's wall time and its peak resident memory, read from /proc every 20 ms (VmHWM only grows). */
function measure(command: string, args: string[], input = ''): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd: REPO_ROOT });
    let stdout = '';
    let stderr = '';
    let peak = 0;
    const sample = () => {
      try {
        peak = Math.max(peak, Number(/VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0));
      } catch {
        // exited between two samples
      }
    };
    const sampler = setInterval(sample, 20);
    child.stdout.on('data', (data) => {
      stdout += String(data);
      sample();
    });
    child.stderr.on('data', (data) => (stderr += String(data)));
    child.stdin.end(input);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearInterval(sampler);
      if (code !== 0) return reject(new Error(`${path.basename(args[0] ?? command)} exited ${code}: ${stdout.slice(0, 300)} ${stderr.slice(0, 300)}`));
      resolve({ ms: performance.now() - started, peakMib: peak / 1024, stdout, stderr });
    });
  });
}

/** SQLite's own copies, in a child process of their own: db.backup() (refused, said why) and VACUUM INTO. Key on stdin. */
const REFERENCE = `
const Database = require('better-sqlite3-multiple-ciphers');
const key = require('fs').readFileSync(0, 'utf8').trim();
const [source, target] = process.argv.slice(1);
const db = new Database(source, { readonly: true });
db.pragma("cipher='sqlcipher'"); db.pragma('legacy=4'); db.pragma(\`key="x'\${key}'"\`);
db.backup(target + '.api').then(() => console.log(JSON.stringify({ api: 'copied' })), (e) => {
  require('fs').rmSync(target + '.api', { force: true });
  const started = performance.now();
  db.prepare('VACUUM INTO ?').run(target);
  console.log(JSON.stringify({ api: e.message, vacuum_ms: performance.now() - started }));
});`;

async function millionStore(): Promise<{ dataDir: string; identity: string; key: string }> {
  const dataDir = tempDataDir();
  const core = await openCore({ dataDir });
  const db = core.store.db;
  const writer = new MirrorWriter(db, await core.suppression());
  const run = startRun(db, 'default', 'full', null, new Date().toISOString());
  const webinarIds = Array.from({ length: WEBINARS }, (_, i) => String(83_000_000_000 + i));
  for (const id of webinarIds) db.prepare(`INSERT INTO events (id, first_seen_at) VALUES (?, 'now')`).run(id);
  const at = new Date().toISOString();
  let batch: ZoomRegistrant[][] = [];
  let b = 0;
  for (const page of registrantPages(REGISTRANTS)) {
    batch.push(page);
    if (batch.length === 17) {
      writer.ingestRegistrants(
        webinarIds[b++ % WEBINARS]!,
        batch.map((items) => ({ items, occurrenceId: null })),
        run.id,
        at,
        false,
      );
      batch = [];
    }
  }
  if (batch.length > 0)
    writer.ingestRegistrants(
      webinarIds[b % WEBINARS]!,
      batch.map((items) => ({ items, occurrenceId: null })),
      run.id,
      at,
      false,
    );
  for (let n = 0; n < 200; n++) await core.dispatch('createRequest', { type: n % 2 ? 'access' : 'erasure', email: `subject${n}@example.org`, by: 'Bench' });
  const created = await core.dispatch('createRecoveryKey', {});
  if (!created.ok) throw new Error(created.error.message);
  const key = (await core.secrets.getDatabaseKey())!;
  db.pragma('wal_checkpoint(TRUNCATE)');
  await core.close();
  return { dataDir, identity: (created.value as { identity: string }).identity, key };
}

describe('backup and restore at 1M registrants', () => {
  it(`back up <= ${GOALS.backup}x and restore <= ${GOALS.restore}x SQLite's own encrypted copy, each under ${GOALS.rssMib} MiB`, { timeout: 1_800_000 }, async () => {
    const built = performance.now();
    const { dataDir, identity, key } = await millionStore();
    const store = fs.statSync(path.join(dataDir, 'dsr-desk.db')).size;
    console.log(`store of ${REGISTRANTS.toLocaleString('en')} registrants: ${(store / 1048576).toFixed(0)} MiB, built in ${((performance.now() - built) / 1000).toFixed(0)} s`);
    const out = tempDataDir();

    const reference = await measure(process.execPath, ['-e', REFERENCE, path.join(dataDir, 'dsr-desk.db'), path.join(out, 'reference.db')], key);
    const referenceResult = JSON.parse(reference.stdout) as { api: string; vacuum_ms: number };
    fs.rmSync(path.join(out, 'reference.db'));
    const backup = await measure(process.execPath, [CLI, '--json', '--data-dir', dataDir, 'backup', '--out', path.join(out, 'bench.age')]);
    const bytes = fs.statSync(path.join(out, 'bench.age')).size;
    const restore = await measure(process.execPath, [CLI, '--json', '--data-dir', path.join(out, 'restored'), 'restore', '--from', path.join(out, 'bench.age'), '--identity-stdin'], `${identity}\n`);
    expect(JSON.parse(restore.stdout)).toMatchObject({ restored: true, requests: 200, audit: { ok: true } });

    const ref = referenceResult.vacuum_ms;
    const ratios = { backup: backup.ms / ref, restore: restore.ms / ref };
    console.log(`SQLite's online backup API (db.backup()) into an encrypted copy: ${referenceResult.api}`);
    console.log(
      `reference, VACUUM INTO an encrypted copy (SQLite's own online copy): ${(ref / 1000).toFixed(1)} s (its process: ${(reference.ms / 1000).toFixed(1)} s, peak RSS ${reference.peakMib.toFixed(0)} MiB)`,
    );
    console.log(
      `backup (dsr-desk backup, whole process):  ${(backup.ms / 1000).toFixed(1)} s = ${ratios.backup.toFixed(2)}x (goal <= ${GOALS.backup}x), peak RSS ${backup.peakMib.toFixed(0)} MiB (goal < ${GOALS.rssMib}), file ${(bytes / 1048576).toFixed(0)} MiB`,
    );
    console.log(
      `restore (dsr-desk restore, whole process): ${(restore.ms / 1000).toFixed(1)} s = ${ratios.restore.toFixed(2)}x (goal <= ${GOALS.restore}x), peak RSS ${restore.peakMib.toFixed(0)} MiB (goal < ${GOALS.rssMib})`,
    );
    expect.soft(ratios.backup).toBeLessThanOrEqual(GOALS.backup);
    expect.soft(ratios.restore).toBeLessThanOrEqual(GOALS.restore);
    expect.soft(backup.peakMib).toBeLessThan(GOALS.rssMib);
    expect.soft(restore.peakMib).toBeLessThan(GOALS.rssMib);
  });
});
