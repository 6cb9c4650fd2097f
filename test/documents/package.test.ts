import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliAsync, sha256File } from '../helpers';
import { sandbox } from '../zoom/sandbox-helpers';
import { openCore } from '../../electron/core/service';
import { DEFAULT_TEXTS } from '../../electron/core/documents/access';
import { call, connectedCore, dataDirOf, FIRST_RUN_SETTINGS } from '../sync/sync-helpers';
import { approvedRequest, SUBJECT } from '../jobs/job-helpers';
import { flat, pdfText, validateWithShippedSchema } from './doc-helpers';

interface SubjectDataJson {
  version: number;
  scope: string;
  subject: { email: string; emails: string[] };
  counts: Record<string, number>;
  by_address: { email: string; counts: Record<string, number>; accounts: { account: string; counts: Record<string, number>; webinars: EventData[]; meetings: EventData[] }[] }[];
}

interface EventData {
  event_type: string;
  event_id: string;
  registrations: { registrant_id: string; fields: Record<string, string> }[];
  attendance: unknown[];
  qa: unknown[];
  polls: unknown[];
  surveys: unknown[];
  absences?: unknown[]; // webinars only, as panelist
  panelist?: unknown[];
}

const read = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8')) as SubjectDataJson;

describe('the access and portability package', () => {
  it('an access job writes subject-data.json (valid against the shipped schema, every source) and the Art 15 PDF; export writes it again anywhere', async () => {
    const box = await sandbox({ seed: 'demo' });
    const core = await connectedCore(box);
    const dataDir = dataDirOf(core);
    try {
      const id = await approvedRequest(core, 'access');
      const result = await call(core, 'runJob', { id });
      expect(result.status).toBe('completed');

      // The job wrote the package into the data folder, and its hashes are on the record.
      const jobDir = path.join(dataDir, 'exports', id);
      const files = fs.readdirSync(jobDir).sort();
      expect(files).toEqual([`your-data-${id}.pdf`, 'subject-data.json', 'subject-data.schema.json'].sort());
      const data = read(path.join(jobDir, 'subject-data.json'));
      expect(validateWithShippedSchema(data)).toEqual([]);
      expect(data.scope).toBe('all');
      expect(data.subject).toEqual({ email: SUBJECT, emails: [SUBJECT] });
      expect(data.counts).toMatchObject({ webinars: 3, meetings: 2, registrations: 5, attendance: 2, qa: 2, polls: 2, surveys: 2 });
      // Grouped by address, then by Zoom account: one of each, holding every record.
      expect(data.by_address.map((g) => [g.email, g.counts])).toEqual([[SUBJECT, data.counts]]);
      expect(data.by_address[0]!.accounts.map((a) => [a.account, a.counts])).toEqual([['default', data.counts]]);
      const { meetings, webinars } = data.by_address[0]!.accounts[0]!;
      expect(meetings.map((m) => [m.event_type, m.event_id]).sort()).toEqual([
        ['meeting', '85234567890'],
        ['meeting', '85234567891'],
      ]);
      const consultation = meetings.find((m) => m.event_id === '85234567891')!;
      expect([consultation.registrations, consultation.attendance, consultation.qa, consultation.polls, consultation.surveys].map((list) => list.length)).toEqual([1, 1, 1, 1, 1]);
      const past = webinars.find((w) => w.attendance.length > 0)!;
      expect(past.registrations[0]!.fields).toMatchObject({ email: SUBJECT, first_name: 'Erika', last_name: 'Mustermann' });
      expect(past.qa.length + past.polls.length + past.surveys.length).toBe(3);
      // Nobody else's address is in it: the subject's, and the controller's contacts.
      const emails = JSON.stringify(data).match(/[\w.+-]+@[\w.-]+/g) ?? [];
      expect(new Set(emails)).toEqual(new Set([SUBJECT, FIRST_RUN_SETTINGS.dpo_email]));

      const detail = await call(core, 'getRequest', { id });
      expect(detail.status).toBe('completed');

      // export: the same package, anywhere; an existing one is kept unless --force.
      const out = path.join(dataDir, 'for-the-subject');
      const pkg = await call(core, 'writeSubjectPackage', { id, out });
      expect(pkg.files.map((f) => path.basename(f.path)).sort()).toEqual(files);
      for (const f of pkg.files) expect(sha256File(f.path)).toBe(f.sha256);
      expect(validateWithShippedSchema(read(path.join(out, 'subject-data.json')))).toEqual([]);
      const again = await core.dispatch('writeSubjectPackage', { id, out });
      expect(again).toMatchObject({ ok: false, error: { code: 'OUTPUT_EXISTS' } });

      const text = flat(pdfText(path.join(out, `your-data-${id}.pdf`)));
      for (const section of [
        'Your personal data (Article 15 GDPR)',
        '1. What we hold',
        '2. Why we process it',
        '3. Categories of data',
        '4. Recipients and transfers',
        '5. How long we keep it',
        '6. Where it comes from',
        '7. Your rights',
        '8. The data',
      ]) {
        expect(text).toContain(section);
      }
      expect(text).toContain('Zoom Video Communications, Inc. (USA)');
      expect(text).toContain('standard contractual clauses');
      expect(text).toContain('Articles 16, 17, 18, 20, 21 and 22 GDPR');
      expect(text).toContain('supervisory authority');
      // Texts the organisation has not set are defaults that read as a whole: no placeholder, no command line.
      expect(text).toContain(DEFAULT_TEXTS.purposes.slice(0, 60));
      expect(text).not.toMatch(/\[[^\]]*\]|dsr-desk /);
      expect(text).toContain('Erika');
    } finally {
      await core.close();
    }

    // Settings replace the defaults; the CLI prints {dir, files}.
    const set = await runCliAsync([
      '--json',
      '--data-dir',
      dataDir,
      'settings',
      'set',
      '--organisation-name',
      'Beispiel GmbH',
      '--dpo-email',
      'dpo@beispiel.example',
      '--purposes',
      'Running our webinars and answering questions.',
      '--retention',
      'Twelve months after the webinar.',
      '--supervisory-authority',
      'Der Landesbeauftragte für Datenschutz Baden-Württemberg',
    ]);
    expect(set.code).toBe(0);
    const out2 = path.join(dataDir, 'second');
    const cli = await runCliAsync(['--json', '--data-dir', dataDir, 'export', 'DSR-2026-0001', '--out', out2]);
    expect(cli.code).toBe(0);
    expect(cli.json).toEqual({ dir: out2, files: expect.arrayContaining([{ path: path.join(out2, 'subject-data.json'), sha256: expect.any(String) }]), draft: false });
    const text2 = flat(pdfText(path.join(out2, 'your-data-DSR-2026-0001.pdf')));
    expect(text2).toContain('Running our webinars and answering questions.');
    expect(text2).toContain('Twelve months after the webinar.');
    expect(text2).toContain('Der Landesbeauftragte für Datenschutz Baden-Württemberg');
    expect(text2).not.toContain(DEFAULT_TEXTS.purposes.slice(0, 60));
  }, 120_000);

  it('portability holds the registration data only (Art 20); a job whose package cannot be written does not complete', async () => {
    const box = await sandbox({ seed: 'demo' });
    const core = await connectedCore(box);
    const dataDir = dataDirOf(core);
    try {
      // The exports folder can't be made: the job fails, and the request stays open to run again.
      fs.writeFileSync(path.join(dataDir, 'exports'), 'not a folder');
      const id = await approvedRequest(core, 'portability');
      const failed = await core.dispatch('runJob', { id });
      expect(failed).toMatchObject({ ok: false, error: { code: 'OUTPUT_UNWRITABLE' } });
      expect((await call(core, 'getRequest', { id })).status).toBe('failed');

      fs.rmSync(path.join(dataDir, 'exports'));
      const result = await call(core, 'runJob', { id });
      expect(result.status).toBe('completed');
      const data = read(path.join(dataDir, 'exports', id, 'subject-data.json'));
      expect(validateWithShippedSchema(data)).toEqual([]);
      expect(data.scope).toBe('provided_by_subject');
      expect(data.counts).toMatchObject({ registrations: 5, attendance: 0, qa: 0, polls: 0, surveys: 0, absences: 0, panelist: 0 });
      for (const w of data.by_address.flatMap((g) => g.accounts.flatMap((a) => [...a.webinars, ...a.meetings]))) {
        expect(w.registrations.length).toBeGreaterThan(0);
        expect([w.attendance, w.qa, w.polls, w.surveys, w.absences ?? [], w.panelist ?? []].every((list) => list.length === 0)).toBe(true);
      }
      const text = flat(pdfText(path.join(dataDir, 'exports', id, `your-data-portable-${id}.pdf`)));
      expect(text).toContain('Your data in a portable form (Article 20 GDPR)');
      expect(text).toContain('machine-readable form (JSON)');

      // An erasure request has no package: a clear error, nothing written.
      const erasure = await approvedRequest(core, 'erasure');
      expect(await core.dispatch('writeSubjectPackage', { id: erasure, out: path.join(dataDir, 'x') })).toMatchObject({ ok: false, error: { code: 'INVALID_STATE' } });
      expect(fs.existsSync(path.join(dataDir, 'x'))).toBe(false);
    } finally {
      await core.close();
    }
  }, 120_000);

  it('after the grace period, the copies in the data folder that hold the subject data are removed (the evidence stays), and the log says so', async () => {
    const box = await sandbox({ seed: 'demo' });
    const core = await connectedCore(box);
    const dataDir = dataDirOf(core);
    let id = '';
    let evidence = '';
    let reply = '';
    try {
      id = await approvedRequest(core, 'access');
      expect((await call(core, 'runJob', { id })).status).toBe('completed');
      evidence = (await call(core, 'writeEvidence', { id })).path;
      reply = (await call(core, 'writeReplyLetter', { id })).path;
      expect(path.dirname(reply)).toBe(path.join(dataDir, 'documents', id));
    } finally {
      await core.close();
    }
    // Within the grace period (default 30 days) nothing goes; after it, the purge at start-up removes them.
    const later = await openCore({ dataDir, now: () => new Date(Date.now() + 29 * 86_400_000) });
    await later.close();
    expect(fs.existsSync(path.join(dataDir, 'exports', id))).toBe(true);
    const after = await openCore({ dataDir, now: () => new Date(Date.now() + 31 * 86_400_000) });
    try {
      expect(fs.existsSync(path.join(dataDir, 'exports', id))).toBe(false);
      expect(fs.existsSync(reply)).toBe(false);
      expect(fs.existsSync(evidence)).toBe(true);
      const entry = after.store.db.prepare(`SELECT details FROM audit_log WHERE action = 'document.files_purged' AND request_id = ?`).pluck().get(id) as string;
      expect(JSON.parse(entry)).toEqual({ files: [path.join('exports', id), path.relative(dataDir, reply)], grace_days: 30 });
      expect(entry).not.toContain('@');
    } finally {
      await after.close();
    }
  }, 120_000);
});
