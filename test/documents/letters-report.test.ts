import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCore } from '../../electron/core/service';
import type { RequestType } from '../../shared/requests';
import { sha256File, tempDataDir } from '../helpers';
import { sandbox } from '../zoom/sandbox-helpers';
import { call, connectedCore, dataDirOf, FIRST_RUN_SETTINGS } from '../sync/sync-helpers';
import { approvedRequest } from '../jobs/job-helpers';
import { flat, pdfText } from './doc-helpers';

describe('the reply to the data subject', () => {
  it('confirms an erasure in English and German: what was erased, what Zoom still holds and that it was asked; the processor request has the address on its own sheet', async () => {
    const box = await sandbox({ seed: 'demo' });
    const core = await connectedCore(box);
    const dir = dataDirOf(core);
    try {
      await call(core, 'updateSettings', { organisation_name: 'Beispiel GmbH', dpo_email: 'dpo@beispiel.example' });
      const { id } = await call(core, 'createRequest', { type: 'erasure', email: 'erika.mustermann@example.com', by: 'Dana DPO', language: 'de' });
      await call(core, 'verifyIdentity', { id, method: 'answered from the registered address', by: 'Dana DPO' });
      await call(core, 'approveRequest', { id, by: 'Rui Reviewer' });
      expect((await call(core, 'runJob', { id })).status).toBe('completed');

      // The request's language (German) unless --lang says otherwise.
      const de = await call(core, 'writeReplyLetter', { id, out: path.join(dir, 'antwort.pdf') });
      expect(de).toMatchObject({ kind: 'erasure', lang: 'de', pages: 2 }); // five registrations and what Zoom keeps of two events
      const deText = flat(pdfText(de.path));
      expect(deText).toContain(`Ihre datenschutzrechtliche Anfrage vom`);
      expect(deText).toContain('Zoom hat Ihre Anmeldungen zu den folgenden 5 Veranstaltungen gelöscht');
      expect(deText).toContain("„Members' meeting“ (Meeting, ");
      expect(deText).toContain('13 Einträge liegen weiterhin bei Zoom');
      expect(deText).toContain('der Nachweis Ihrer Teilnahme an „Data protection consultation“ (Meeting, ');
      // The letter never ends on a page that holds only its signature: the last paragraph goes with it.
      expect(flat(pdfText(de.path, { page: 2 }))).toContain('Bei Fragen erreichen Sie uns');
      expect(deText).toContain('der Nachweis Ihrer Teilnahme an „Spring launch“');
      expect(deText).toContain('Wir fordern Zoom zur Löschung auf (Art. 28 Abs. 3 lit. e und Art. 19 DSGVO)');
      expect(deText.match(/Art\. 77 DSGVO/g)).toHaveLength(1);
      expect(deText).toContain('Mit freundlichen Grüßen');
      const en = await call(core, 'writeReplyLetter', { id, out: path.join(dir, 'reply.pdf'), lang: 'en' });
      const enText = flat(pdfText(en.path));
      expect(enText).toContain('we have erased your personal data');
      expect(enText).toContain('Zoom has deleted your registrations for the following 5 events');
      expect(enText).toContain('the record of your attendance at “Spring launch”');
      expect(enText).toContain('We are asking Zoom to erase it (Articles 28(3)(e) and 19 GDPR)');

      // Once the processor request is sent, the letter says so.
      await call(core, 'updateProcessorTask', { id, status: 'sent', by: 'Dana DPO' });
      const sent = await call(core, 'writeReplyLetter', { id, out: path.join(dir, 'reply.pdf'), lang: 'en', force: true });
      expect(flat(pdfText(sent.path))).toMatch(/We asked Zoom on \d+ \w+ \d{4} to erase it/);

      const zoom = await call(core, 'writeProcessorRequest', { id, out: path.join(dir, 'zoom.pdf') });
      expect(zoom.pages).toBe(2);
      const letter = flat(pdfText(zoom.path, { page: 1 }));
      expect(letter).toContain('To Zoom Video Communications, Inc., Privacy Team');
      expect(letter).toContain('Articles 28(3)(e), 17(2) and 19 GDPR');
      expect(letter).not.toContain('erika.mustermann@example.com');
      const sheet = flat(pdfText(zoom.path, { page: 2 }));
      expect(sheet).toContain('Separate sheet');
      expect(sheet).toContain('erika.mustermann@example.com');
    } finally {
      await core.close();
    }
  }, 120_000);

  it('a refusal gives its reasons and the remedies (Art 12(4)); an extension notice its reasons and new date (Art 12(3)); an open request has no reply yet; same data and clock, same document', async () => {
    const dataDir = tempDataDir();
    const clock = new Date('2026-11-20T10:00:00Z');
    const core = await openCore({ dataDir, now: () => clock });
    await core.service.updateSettings({ ...FIRST_RUN_SETTINGS });
    try {
      const refused = (await call(core, 'createRequest', { type: 'erasure', email: 'jan.kowalski@example.pl', by: 'Dana DPO' })).id;
      await call(core, 'refuseRequest', { id: refused, by: 'Rui Reviewer', reason: 'The webinar recordings are needed to defend a pending legal claim.', article: '17(3)(e)' });
      const extended = (await call(core, 'createRequest', { type: 'access', email: 'maria@example.de', by: 'Dana DPO' })).id;
      await call(core, 'extendRequest', { id: extended, by: 'Rui Reviewer', reason: 'the data is spread over 40 webinars', notified_at: '2026-11-20T10:00:00Z' });
      const open = (await call(core, 'createRequest', { type: 'erasure', email: 'open@example.com', by: 'Dana DPO' })).id;

      const refusal = await call(core, 'writeReplyLetter', { id: refused, out: path.join(dataDir, 'refusal.pdf') });
      expect(refusal.kind).toBe('refusal');
      const refusalText = flat(pdfText(refusal.path));
      expect(refusalText).toContain('we cannot act on your request (Article 17(3)(e) GDPR), for the following reason: The webinar recordings are needed to defend a pending legal claim.');
      expect(refusalText).toContain('lodge a complaint with a supervisory authority (Article 77 GDPR)');
      expect(refusalText).toContain('judicial remedy before the courts (Article 79 GDPR)');
      const refusalDe = flat(pdfText((await call(core, 'writeReplyLetter', { id: refused, out: path.join(dataDir, 'ablehnung.pdf'), lang: 'de' })).path));
      expect(refusalDe).toContain('gerichtlichen Rechtsbehelf einlegen (Art. 79 DSGVO)');

      const notice = await call(core, 'writeReplyLetter', { id: extended, out: path.join(dataDir, 'extension.pdf') });
      expect(notice.kind).toBe('extension');
      const noticeText = flat(pdfText(notice.path));
      expect(noticeText).toContain('We need more time than the usual one month (Article 12(3) GDPR), for the following reason: the data is spread over 40 webinars.');
      expect(noticeText).toMatch(/You will have our reply by \d{1,2} \w+ 2027 at the latest/);

      expect(await core.dispatch('writeReplyLetter', { id: open, out: path.join(dataDir, 'none.pdf') })).toMatchObject({
        ok: false,
        error: { code: 'INVALID_STATE', message: expect.stringContaining('no reply is due yet') },
      });
      expect(fs.existsSync(path.join(dataDir, 'none.pdf'))).toBe(false);

      // Deterministic: the same request and clock give the same bytes.
      const again = await call(core, 'writeReplyLetter', { id: refused, out: path.join(dataDir, 'refusal.pdf'), force: true });
      expect(again.sha256).toBe(refusal.sha256);
    } finally {
      await core.close();
    }
  });
});

describe('the register report', () => {
  it('counts a period by type and outcome, on time against late, extensions and median days; the CSV opens cleanly (BOM, ISO dates); same clock, same bytes', async () => {
    const dataDir = tempDataDir();
    let clock = new Date('2026-03-02T09:00:00Z');
    const core = await openCore({ dataDir, now: () => clock });
    await core.service.updateSettings({ ...FIRST_RUN_SETTINGS });
    try {
      await call(core, 'updateSettings', { time_zone: 'Europe/Berlin' });
      const file = async (type: RequestType, email: string, received: string) => (await call(core, 'createRequest', { type, email, received_at: received, by: 'Dana DPO' })).id;
      const a = await file('erasure', 'a@example.com', '2026-03-01T08:00:00Z');
      const b = await file('access', 'b@example.com', '2026-03-02T08:00:00Z');
      const c = await file('erasure', 'c@example.com', '2026-03-02T08:30:00Z');
      await file('objection', 'outside@example.com', '2026-02-28T22:30:00Z'); // 23:30 on 28 Feb in Berlin: outside
      clock = new Date('2026-03-05T09:00:00Z');
      await call(core, 'refuseRequest', { id: a, by: 'Rui Reviewer', reason: 'Manifestly unfounded: repeated weekly.', article: '12(5)' });
      await call(core, 'extendRequest', { id: b, by: 'Rui Reviewer', reason: 'complex', notified_at: '2026-03-05T09:00:00Z' });
      clock = new Date('2026-04-20T09:00:00Z');
      await call(core, 'refuseRequest', { id: c, by: 'Rui Reviewer', reason: 'Could not identify the subject.', article: '11(2)' });

      const csvOut = path.join(dataDir, 'register.csv');
      const csv = await call(core, 'writeReport', { from: '2026-03-01', to: '2026-03-31', out: csvOut });
      expect(csv).toMatchObject({ path: csvOut, requests: 3, sha256: sha256File(csvOut) });
      const bytes = fs.readFileSync(csvOut);
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const lines = bytes.toString('utf8').slice(1).trimEnd().split('\r\n');
      expect(lines[0]).toBe('id,type,article,channel,received_on,due_on,extended,closed_on,status,outcome,on_time,days_to_close');
      expect(lines.slice(1)).toEqual([
        `${a},erasure,Art 17,email,2026-03-01,2026-04-01,no,2026-03-05,refused,refused,yes,4`,
        `${b},access,Art 15,email,2026-03-02,2026-06-02,yes,,received,open,open,`,
        `${c},erasure,Art 17,email,2026-03-02,2026-04-02,no,2026-04-20,refused,refused,no,49`,
      ]);

      const pdfOut = path.join(dataDir, 'register.pdf');
      const pdf = await call(core, 'writeReport', { from: '2026-03-01', to: '2026-03-31', out: pdfOut });
      const text = flat(pdfText(pdf.path));
      expect(text).toContain('requests received from 1 Mar 2026 to 31 Mar 2026 (dates in Europe/Berlin)');
      expect(text).toContain('Closed on time 1 on time, 1 late; still open: 1 within their deadline, 0 overdue');
      expect(text).toContain('Extensions used (Article 12(3) GDPR) 1');
      expect(text).toContain('Median days to close 26.5');
      expect(text).toMatch(/erasure Article 17 GDPR 2 0 2 0/);
      expect(text).not.toContain('@example.com');
      const again = await call(core, 'writeReport', { from: '2026-03-01', to: '2026-03-31', out: pdfOut, force: true });
      expect(again.sha256).toBe(pdf.sha256);

      // A date-time is taken as its day in the register's time zone (23:30 UTC on 31 March is 1 April in Berlin).
      const asTimes = await call(core, 'writeReport', { from: '2026-02-28T23:30:00Z', to: '2026-03-31T21:00:00Z', out: path.join(dataDir, 'times.csv') });
      expect(asTimes.requests).toBe(3);
      // Bad input changes nothing.
      expect(await core.dispatch('writeReport', { from: '2026-02-30', to: '2026-03-31', out: path.join(dataDir, 'x.csv') })).toMatchObject({
        ok: false,
        error: { code: 'INVALID_INPUT', message: expect.stringContaining('YYYY-MM-DD') },
      });
      expect(await core.dispatch('writeReport', { from: '2026-03-31', to: '2026-03-01', out: path.join(dataDir, 'x.csv') })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
      expect(await core.dispatch('writeReport', { from: '2026-03-01', to: '2026-03-31', out: path.join(dataDir, 'x.txt') })).toMatchObject({
        ok: false,
        error: { code: 'INVALID_INPUT', message: expect.stringContaining('.pdf or a .csv') },
      });
      expect(fs.readdirSync(dataDir).filter((f) => f.startsWith('x.'))).toEqual([]);
    } finally {
      await core.close();
    }
  });
});
