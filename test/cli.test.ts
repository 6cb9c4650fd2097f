import fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli, tempDataDir } from './helpers';

describe('dsr-desk command', () => {
  it('--help lists the commands and exits 0', () => {
    const run = runCli(['--help']);
    expect(run.code).toBe(0);
    for (const command of ['status', 'settings', 'connect', 'sandbox', 'serve', 'demo', 'evidence', 'export', 'letter', 'report', 'processor-request']) expect(run.stdout).toContain(command);
  });

  it('a bad port on any command is a usage error before anything opens, with one JSON document and a quiet stderr', () => {
    const env = { ...process.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus', DISPLAY: '' }; // no keychain: proves nothing opened
    for (const args of [
      ['serve', '--port', '70000'],
      ['sandbox', '--port', 'abc'],
      ['connect', '--sandbox', '--sandbox-port', '-1'],
    ]) {
      const run = runCli(['--json', ...args], { env });
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.json).toEqual({ error: { code: 'USAGE', message: expect.stringContaining('must be a number from 0 to 65535') } });
      expect(run.stderr).toBe('');
    }
  });

  it("words the core's hint as the command to run: in the JSON message beside the hint itself, and on stderr", () => {
    const dataDir = tempDataDir();
    const json = runCli(['--json', '--data-dir', dataDir, 'request', 'show', 'DSR-2026-0404']);
    expect(json.code).toBe(1);
    expect(json.json).toEqual({ error: { code: 'NOT_FOUND', message: 'There is no request DSR-2026-0404. List them with `dsr-desk request list`.', hint: { action: 'list-requests' } } });
    const plain = runCli(['--data-dir', dataDir, 'sync']);
    expect(plain.code).toBe(1);
    expect(plain.stderr).toBe('dsr-desk: No Zoom account is connected to this data folder. Run `dsr-desk connect` (or `dsr-desk connect --sandbox`) first. [ZOOM_NOT_CONNECTED]\n');
  });

  it('status --json prints exactly one JSON document describing the encrypted store', () => {
    const dataDir = tempDataDir();
    const run = runCli(['--json', '--data-dir', dataDir, 'status']);
    expect(run.code).toBe(0);
    expect(run.json).toMatchObject({ path: path.join(dataDir, 'dsr-desk.db'), encrypted: true, cipher: 'sqlcipher' });
  });

  it("npm run demo on a machine without a keychain leaves no folder behind (its key ends with the run, and its letters print the subject's address)", { timeout: 120_000 }, () => {
    const script = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: { demo: string } }).scripts.demo.split(' ');
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.DBUS_SESSION_BUS_ADDRESS;
    delete env.DSR_DESK_PRIVATE_KEYCHAIN;
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dsr-desk-demo-tmp-'));
    try {
      const run = spawnSync(process.execPath, script.slice(1), { cwd: REPO_ROOT, env: { ...env, TMPDIR: tmp }, encoding: 'utf8', timeout: 110_000 });
      expect(run.status, run.stderr).toBe(0);
      const folder = /data directory: (\S+)/.exec(run.stdout)![1]!;
      expect(folder.startsWith(tmp)).toBe(true);
      expect(run.stdout).toContain(`so the demo's folder ${folder} is removed now`);
      expect(fs.readdirSync(tmp)).toEqual([]);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('the demo syncs, classifies changes and runs an erasure request to a verified result, saying what it did', () => {
    const dataDir = tempDataDir();
    const run = runCli(['--data-dir', dataDir, 'demo']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/generated a random 256-bit database key and stored it only in the keychain/);
    expect(run.stdout).toMatch(/created the encrypted database .*dsr-desk\.db \(sqlcipher, schema version \d+\)/);
    expect(run.stdout).toMatch(/started the Zoom sandbox on http:\/\/127\.0\.0\.1:\d+/);
    expect(run.stdout).toMatch(/connected: got a Server-to-Server OAuth token/);
    // Two Zoom accounts, read side by side: the second a sandbox of its own, where the subject used her private address.
    expect(run.stdout).toMatch(/connected a second Zoom account, sandbox-account-eu, as "eu"/);
    expect(run.stdout).toMatch(/synced \(full\): 6 webinars and 4 meetings that take registration, 150 registrants in every status, 38 participant records/);
    expect(run.stdout).toMatch(/2 Zoom accounts read side by side: "default" 3 webinars, 2 meetings, 75 registrants; "eu" 3 webinars, 2 meetings, 75 registrants/);
    expect(run.stdout).toMatch(/webinar 81234567890 "Data protection in practice" \(account "default"\): 16 approved, 5 pending, 3 denied/);
    expect(run.stdout).toMatch(/found the demo subject erika\.mustermann@example\.com in 13 records: 5 registrant, 2 participant, 2 qa, 2 poll, 2 survey/);
    expect(run.stdout).toMatch(/meeting 85234567891 "Data protection consultation" \(account "default"\): 7 approved, 0 pending, 0 denied; 5 participants/);
    expect(run.stdout).toMatch(/synced again \(incremental\): 1 registered, 1 denied, 1 host_cancelled, 3 self_cancelled/);
    expect(run.stdout).toMatch(/self_cancelled +meeting 85234567890, registrant \S+: Cancelled by the registrant.* \[read back: GET registrant answered HTTP 200 with status "all"\]/);
    expect(run.stdout).toMatch(/self_cancelled +webinar 81234567890, registrant \S+: Cancelled by the registrant.* \[read back: GET registrant answered HTTP 200 with status "all"\]/);
    // The subject's own cancellation: Zoom kept it, the job deleted it and read it back gone.
    expect(run.stdout).toMatch(
      /webinar 81234567891 \(account "default", erika\.mustermann@example\.com\), registrant \S+ \(the subject had cancelled it themselves; Zoom still held it\): delete done \(HTTP 204\), verify done \(HTTP 400, Zoom 3079\); VERIFIED gone from Zoom/,
    );
    expect(run.stdout).toMatch(/filed erasure request DSR-\d{4}-0001 for erika\.mustermann@example\.com/);
    // Her private address, found by her name in the other account: offered, accepted by a person, never taken on its own.
    expect(run.stdout).toMatch(/possibly the same person: "Erika Mustermann" registered under erika\.m@mail\.example\.net \(5 registrations, account "eu"\)/);
    expect(run.stdout).toMatch(/the subject confirmed erika\.m@mail\.example\.net is hers: accepted/);
    expect(run.stdout).toMatch(/ran the job: completed/);
    expect(run.stdout.match(/VERIFIED gone from Zoom/g)).toHaveLength(10);
    expect(
      run.stdout.match(
        /\(account "eu", erika\.m@mail\.example\.net\), registrant \S+: cancel done \(HTTP 204\), delete done \(HTTP 204\), verify done \(HTTP 400, Zoom 3079\); VERIFIED gone from Zoom/g,
      ),
    ).toHaveLength(5);
    // The meetings beside the webinars: the subject's own cancel kept by Zoom, and a live registration cancelled first.
    expect(run.stdout).toMatch(
      /meeting 85234567890 \(account "default", erika\.mustermann@example\.com\), registrant \S+ \(the subject had cancelled it themselves; Zoom still held it\): delete done \(HTTP 204\), verify done \(HTTP 400, Zoom 3079\); VERIFIED gone from Zoom/,
    );
    expect(run.stdout).toMatch(
      /meeting 85234567891 \(account "default", erika\.mustermann@example\.com\), registrant \S+: cancel done \(HTTP 204\), delete done \(HTTP 204\), verify done \(HTTP 400, Zoom 3079\); VERIFIED gone from Zoom/,
    );
    expect(run.stdout).toMatch(/left with Zoom, its API can't erase it: meeting 85234567891 \(account "default"\): 1 attendance record$/m);
    expect(run.stdout).toMatch(/left with Zoom, its API can't erase it: webinar 81234567892 \(account "default"\): 1 Q&A entry$/m);
    expect(run.stdout).toMatch(/left with Zoom, its API can't erase it: webinar 81780567892 \(account "eu"\): 1 Q&A entry$/m);
    expect(run.stdout).not.toMatch(/\w\((s|ies)\)/);
    expect(run.stdout).toMatch(/left with Zoom, its API can't erase it: webinar 81234567890 \(account "default"\): the address on its list of addresses blocked from registering/);
    expect(run.stdout).toMatch(/find erika\.mustermann@example\.com: 0 records with personal data; on the suppression list: yes/);
    expect(run.stdout).toMatch(/find erika\.m@mail\.example\.net: 0 records with personal data; on the suppression list: yes/);
    expect(run.stdout).toMatch(/audit log: intact/);
    // It ends with the documents that prove it, and says where they are.
    const evidence = /wrote the evidence PDF \(\d+ pages; its SHA-256 [0-9a-f]{16}… is in the audit log\): (\S+\.pdf)/.exec(run.stdout)?.[1];
    const reply = /wrote the reply to the data subject \(erasure confirmation, en\): (\S+\.pdf)/.exec(run.stdout)?.[1];
    expect(evidence && fs.statSync(evidence).size).toBeGreaterThan(10_000);
    expect(reply && fs.statSync(reply).size).toBeGreaterThan(10_000);
    expect(path.dirname(evidence!)).toBe(path.join(dataDir, 'documents', 'DSR-2026-0001'));
    // Its last words tell a new user how to open the desk.
    expect(run.stdout.trimEnd().split('\n').slice(-7).join('\n')).toMatch(
      /Now open the desk, the window a DPO works in:\n  npm run desk .*\n .*dsr-desk-keyring.*\nand open the address it prints.*\n.*Try the sandbox/,
    );
    // Its folder stays (the OS keychain, here the test's, keeps its key), and the demo says what is in it.
    expect(run.stdout).toContain(`Done. ${dataDir} holds this run's encrypted store`);

    const json = runCli(['--json', '--data-dir', tempDataDir(), 'demo']);
    expect(json.code).toBe(0);
    expect(json.json).toMatchObject({
      created: true,
      encrypted: true,
      sync: { first: { webinars: 6, meetings: 4, registrants: 150 }, second: { changes: { registered: 1, denied: 1, host_cancelled: 1, self_cancelled: 3, deleted: 0 } } },
    });
    expect((json.json as { sync: { changes: unknown[] } }).sync.changes).toHaveLength(6);
    expect(json.json).toMatchObject({ job: { status: 'completed', residual: expect.arrayContaining([expect.objectContaining({ source: 'qa' })]) } });
    expect(json.json).toMatchObject({
      documents: {
        evidence: expect.stringMatching(/evidence-DSR-\d{4}-0001-\d{8}T\d{6}\.\d{3}Z\.pdf$/),
        evidence_sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
        reply: expect.stringMatching(/\.pdf$/),
      },
    });
  });

  it('npm start fails with a clear message, not a stack trace, where the Electron binary is missing', () => {
    const run = spawnSync(process.execPath, [path.join(REPO_ROOT, 'scripts', 'start-electron.mjs')], { encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('The Electron binary is not installed');
    expect(run.stderr).toContain('npx dsr-desk serve');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
