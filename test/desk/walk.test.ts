import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { deskMode, saveScreenshot } from '../chromium';
import { tempDataDir } from '../helpers';
import { flat, pdfText } from '../documents/doc-helpers';
import { expectAccessible } from './desk-helpers';

// The whole job as a DPO does it in the window, in browser mode on the built-in sandbox, once in
// English and once in German: every screen captured (DSR_DESK_SCREENSHOTS) and checked with axe.

const WORDS = {
  en: {
    received: 'Received',
    willCollect: /collected into a package/,
    collected: /^Collected \d+ records? about the subject from \d+ (webinar or meeting|webinars and meetings) into the package/,
    approvedBy: /^Dana DPO approved DSR-\d{4}-0001\.$/,
    reportOf: /^Report written: 3 requests\./,
    overview: 'Overview',
    allRequests: 'See all requests',
    completed: 'Completed',
    waiting: 'Waiting for Zoom',
    intact: /^Intact: \d+ entries, every hash checks out\.$/,
    yes: 'yes',
    erased: /erased \(DSR-\d{4}-0001\)/,
    answered: /Zoom answered on .*: erased everything asked/,
  },
  de: {
    received: 'Eingegangen',
    willCollect: /in ein Paket übernommen/,
    collected: /^\d+ Datens(atz|ätze) zur betroffenen Person aus \d+ Veranstaltung(en)? in das Paket/,
    approvedBy: /^Dana DPO hat DSR-\d{4}-0001 genehmigt\.$/,
    reportOf: /^Bericht erstellt: 3 Anträge\./,
    overview: 'Übersicht',
    allRequests: 'Alle Anträge ansehen',
    completed: 'Abgeschlossen',
    waiting: 'Wartet auf Zoom',
    intact: /^Intakt: \d+ Einträge, jeder Hash stimmt\.$/,
    yes: 'ja',
    erased: /gelöscht \(DSR-\d{4}-0001\)/,
    answered: /Zoom hat am .* geantwortet: alles Erbetene gelöscht/,
  },
} as const;

const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const close of closers) await close();
});

describe.each(['en', 'de'] as const)('the desk in %s', (lang) => {
  it('first run with the sandbox, sync, find the subject, file an erasure, verify, approve, review the plan, run, see each record verified, write the evidence, verify the audit chain', async () => {
    const words = WORDS[lang];
    const desk = await deskMode(tempDataDir());
    closers.push(desk.close);
    const context = await desk.browser.newContext({ locale: lang === 'de' ? 'de-DE' : 'en-GB', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const origin = new URL(desk.door.url).origin;
    const requested: string[] = [];
    page.on('request', (request) => requested.push(request.url()));
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    const shot = async (name: string) => {
      await saveScreenshot(page, `${lang}-${name}.png`);
      await expectAccessible(page, `${lang} ${name}`);
    };

    // First run: the language follows the OS, the name is asked for, then the sandbox.
    await page.goto(desk.door.url);
    await page.getByTestId('reviewer-name').waitFor({ timeout: 15_000 });
    expect(await page.locator('html').getAttribute('lang')).toBe(lang);
    expect(await page.getByTestId('ui-language').inputValue()).toBe(lang);
    await shot('01-first-run');
    await page.getByTestId('reviewer-name').fill('Dana DPO');
    await page.getByTestId('time-zone').fill('Europe/Berlin');
    await page.getByTestId('save-desk').click();
    await page.getByTestId('try-sandbox').waitFor();
    // The organisation every document speaks for, asked at first run; until then the desk says documents are drafts.
    await page.getByTestId('organisation-incomplete').waitFor();
    await page.getByTestId('org-name').fill('Beispiel Webinare GmbH');
    await page.getByTestId('org-contact').fill('Beispielstraße 1, 10115 Berlin');
    await page.getByTestId('org-dpo').fill('dpo@example.org');
    await page.getByTestId('org-authority').selectOption('de-be');
    await page.getByTestId('save-organisation').click();
    await page.getByTestId('organisation-incomplete').waitFor({ state: 'detached' });
    expect((await desk.core.service.getSettings({})).supervisory_authority).toBe('Berliner Beauftragte für Datenschutz und Informationsfreiheit, Alt-Moabit 59-61, 10555 Berlin, Germany');
    await shot('02-first-run-connect');
    await page.getByTestId('try-sandbox').click();
    await page.getByTestId('sandbox-banner').waitFor({ timeout: 20_000 });
    await page.getByRole('heading', { level: 1, name: words.overview }).waitFor();
    expect(page.url()).toMatch(/#\/$/);
    await shot('03-overview-empty');

    // Sync from the mirror.
    await page.getByRole('navigation').getByRole('link').nth(1).click();
    expect(page.url()).toContain('#/mirror');
    await page.getByTestId('sync-start').click();
    await page.getByTestId('sync-last').waitFor({ timeout: 20_000 });
    await page.getByTestId('registrant-total').getByText(/75/).waitFor();
    await shot('04-mirror');
    // Meetings beside the webinars: the kind filter shows the two that take registration, and only them.
    const kinds = page.getByTestId('event-kind').getByRole('button');
    await kinds.nth(2).click();
    expect(await kinds.nth(2).getAttribute('aria-pressed')).toBe('true');
    const meetingList = (await page.getByTestId('webinar-list').textContent()) ?? '';
    expect(meetingList).toContain("Members' meeting");
    expect(meetingList).toContain('Data protection consultation');
    expect(meetingList).not.toContain('Data protection in practice');
    await shot('04b-mirror-meetings');
    await kinds.nth(0).click();

    // Find the subject and open their timeline.
    await page.getByTestId('registrant-search').fill('erika.mustermann@');
    await page.getByTestId('registrant-total').getByText(/^5 /).waitFor({ timeout: 5_000 }); // three webinars, two meetings
    await page.getByTestId('registrant-row').first().getByRole('button').click();
    const drawer = page.getByTestId('registrant-drawer');
    await drawer.waitFor();
    expect(await drawer.textContent()).toContain('erika.mustermann@example.com');
    await shot('05-mirror-drawer');

    // File the request from the drawer: the address is carried over.
    await drawer.getByTestId('file-request-for').click();
    await page.getByTestId('new-request-form').waitFor();
    expect(await page.getByTestId('request-email').inputValue()).toBe('erika.mustermann@example.com');
    expect(await page.getByTestId('request-type').inputValue()).toBe('erasure');
    await shot('06-new-request');
    await page.getByTestId('file-request').click();
    await page.getByTestId('request-status').waitFor({ timeout: 10_000 });
    expect(page.url()).toMatch(/#\/requests\/DSR-\d{4}-0001$/);
    await shot('07-request-received');

    // Identity, then approval, each in its own dialog, recorded under the reviewer's name.
    await page.getByTestId('decide-verify').click();
    const verify = page.getByTestId('dialog-verify');
    expect(await verify.getByTestId('decision-submit').isDisabled()).toBe(true);
    // The method from the list (in German, "another way" written out).
    if (lang === 'en') await verify.getByTestId('verify-method').selectOption('reply_from_registered_address');
    else {
      await verify.getByTestId('verify-method').selectOption('other');
      await verify.getByTestId('verify-method-other').fill('Code an die registrierte Adresse gesendet und bestätigt');
    }
    await shot('08-dialog-verify');
    await verify.getByTestId('decision-submit').click();
    // An erasure is approved on a ground of Art 17(1), after checking the exceptions of Art 17(3).
    await page.getByTestId('decide-approve').click();
    const approve = page.getByTestId('dialog-approve');
    await approve.getByTestId('approve-ground').selectOption('17(1)(b)');
    expect(await approve.getByTestId('decision-submit').isDisabled()).toBe(true);
    await approve.getByTestId('approve-exceptions').check();
    await shot('08b-dialog-approve');
    await approve.getByTestId('decision-submit').click();
    await page.getByTestId('job-plan').waitFor({ timeout: 10_000 });
    await shot('09-request-plan');

    // Run, after a confirmation that says what will change on Zoom.
    await page.getByTestId('run-job').click();
    const confirm = page.getByTestId('dialog-run');
    expect(await confirm.getByTestId('run-summary').locator('li').count()).toBe(4);
    await shot('10-dialog-run');
    await confirm.getByTestId('confirm-run').click();
    await page.getByTestId('job-result-status').getByText(words.completed).waitFor({ timeout: 30_000 });
    // The subject's five registrations (three webinars, two meetings), each deleted and read back as gone; the lists read back too.
    expect(await page.locator('[data-source="registrant"] [data-testid="step-verified"]').allTextContents()).toEqual(Array(5).fill(words.yes));
    expect(await page.getByTestId('job-result').textContent()).toMatch(/HTTP 204/);
    await shot('11-request-result');

    // The result survives a reload; the evidence PDF is written and says so.
    await page.reload();
    await page.getByTestId('job-result-status').getByText(words.completed).waitFor({ timeout: 10_000 });
    // Zoom still holds what its API can't erase: the request waits for Zoom's answer.
    expect(await page.getByTestId('request-status').textContent()).toBe(words.waiting);
    await page.getByTestId('write-evidence').click();
    const written = page.getByTestId('documents-written').locator('code').first();
    await written.waitFor({ timeout: 20_000 });
    const pdf = (await written.textContent())!;
    expect(pdf).toMatch(/evidence-DSR-\d{4}-0001-\d{8}T\d{6}\.\d{3}Z\.pdf$/);
    expect(fs.statSync(pdf).size).toBeGreaterThan(10_000);
    const evidence = flat(pdfText(pdf));
    expect(evidence).toContain(lang === 'de' ? 'Nachweis zum Antrag der betroffenen Person DSR-' : 'Evidence of data-subject request DSR-');
    // The choices made in the dialogs, in the document's words: the method, the ground, the check.
    expect(evidence).toContain(lang === 'de' ? 'Code an die registrierte Adresse gesendet und bestätigt (durch Dana DPO' : 'reply from the registered email address (by Dana DPO');
    expect(evidence).toContain(lang === 'de' ? 'Art. 17 Abs. 1 lit. b DSGVO: Einwilligung widerrufen' : 'Article 17(1)(b) GDPR: consent withdrawn');
    expect(evidence).toContain(lang === 'de' ? 'geprüft durch Dana DPO' : 'checked by Dana DPO');
    // The window hands the file over as a download (a Save As in the app), not only as a path.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-document').first().click()]);
    expect(download.suggestedFilename()).toBe(pdf.split('/').pop());
    await shot('12-request-documents');

    // The processor request through its life: sent, then Zoom's answer; the request is then completed.
    await page.getByTestId('processor-sent').click();
    await page.getByTestId('processor-outcome').waitFor();
    await page.getByTestId('processor-outcome').selectOption('erased');
    await page.getByTestId('processor-note').fill('Zoom ticket Z-123');
    await page.getByTestId('processor-answered').click();
    await page.getByTestId('processor-state').getByText(words.answered).waitFor({ timeout: 10_000 });
    await page.getByTestId('request-status').getByText(words.completed).waitFor({ timeout: 10_000 });
    // The reply to the subject, and a note on the file, each under the person working here.
    await page.getByTestId('record-reply').click();
    await page.getByTestId('request-replies').waitFor();
    await page.getByTestId('note-text').fill('ticket #4711');
    await page.getByTestId('add-note').click();
    await page.getByTestId('request-notes').getByText('ticket #4711').waitFor();
    await shot('12b-request-after-zoom');

    // An access request shows what was collected and the package, not an erasure's "verified gone".
    await page.goto(`${origin}/#/requests/new`);
    await page.getByTestId('request-email').fill('paula.panel@example.org');
    await page.getByTestId('request-type').selectOption('access');
    await page.getByTestId('file-request').click();
    await page.getByTestId('request-status').getByText(words.received).waitFor({ timeout: 10_000 });
    await page.getByTestId('decide-verify').click();
    await page.getByTestId('dialog-verify').getByTestId('verify-method').selectOption('existing_account');
    await page.getByTestId('dialog-verify').getByTestId('decision-submit').click();
    await page.getByTestId('decide-approve').click();
    // No Art 17 ground for an access request: approval asks only for an optional note.
    expect(await page.getByTestId('dialog-approve').getByTestId('approve-ground').count()).toBe(0);
    await page.getByTestId('dialog-approve').getByTestId('decision-submit').click();
    await page.getByTestId('run-job').click();
    expect(await page.getByTestId('dialog-run').getByTestId('run-summary-other').textContent()).toMatch(words.willCollect);
    await page.getByTestId('confirm-run').click();
    await page.getByTestId('job-result-status').getByText(words.completed).waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('job-outcome').textContent()).toMatch(words.collected);
    expect(await page.getByTestId('job-package').locator('li').allTextContents()).toEqual([
      expect.stringContaining('subject-data.json'),
      expect.stringContaining('subject-data.schema.json'),
      expect.stringMatching(/\.pdf/),
    ]);
    expect(await page.getByTestId('step-verified').count()).toBe(0);
    await shot('12c-access-result');

    // The mirror remembers what the job deleted: the filter "Deleted by a request" finds the subject's five registrations, read as erased, with the request.
    await page.goto(`${origin}/#/mirror`);
    await page.getByTestId('registrant-kind').selectOption('deleted_by_request');
    await page.getByTestId('registrant-rows').getByText(words.erased).first().waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('registrant-rows').getByText(words.erased).count()).toBe(5); // three webinars, two meetings
    await shot('13-mirror-erased');
    // A search for the erased address says it was erased, and by which request.
    await page.getByTestId('registrant-kind').selectOption('');
    await page.getByTestId('registrant-search').fill('erika.mustermann@example.com');
    await page
      .getByTestId('search-erased')
      .getByText(/DSR-\d{4}-0001/)
      .waitFor({ timeout: 10_000 });
    await shot('13b-mirror-search-erased');

    // The audit chain checks out.
    await page.goto(`${origin}/#/audit`);
    await page.getByTestId('verify-audit').click();
    const verdict = page.getByTestId('audit-verdict');
    await verdict.waitFor({ timeout: 10_000 });
    expect(await verdict.locator('strong').textContent()).toMatch(words.intact);
    // The log reads as sentences, each act under the person's name; the details fold away.
    const sentences = await page.getByTestId('audit-sentence').allTextContents();
    expect(sentences).toContainEqual(expect.stringMatching(words.approvedBy));
    expect(sentences.join(' ')).not.toContain('{');
    // The export, written into the data folder, handed over as a download.
    await page.getByTestId('export-audit').click();
    await page.getByTestId('audit-exported').waitFor({ timeout: 10_000 });
    const [auditDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-audit').click()]);
    expect(auditDownload.suggestedFilename()).toMatch(/^audit-log-\d{8}T\d{6}\.\d{3}Z\.jsonl$/);
    const lines = fs
      .readFileSync(await auditDownload.path(), 'utf8')
      .trim()
      .split('\n');
    expect(lines.length).toBeGreaterThan(20);
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    await shot('14-audit');

    // The other screens, as they look with data.
    // A request received four weeks ago is due this week: the overview lists it first, in red.
    await page.goto(`${origin}/#/requests/new`);
    await page.getByTestId('request-email').fill('late.letter@example.org');
    await page.getByTestId('request-type').selectOption('objection');
    await page.getByTestId('request-received').fill(new Date(Date.now() - 28 * 86_400_000).toISOString().slice(0, 10));
    await page.getByTestId('file-request').click();
    await page.getByTestId('days-left').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('days-left').getAttribute('class')).toBe('badge danger');
    await shot('14b-request-due-soon');
    await page.goto(`${origin}/#/`);
    await page
      .getByTestId('due-week')
      .getByText(/DSR-\d{4}-0003/)
      .waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('due-week').locator('.badge.danger').count()).toBe(1);
    await page.getByTestId('changes-by-kind').waitFor();
    expect(await page.getByTestId('registrants-erased').textContent()).not.toBe('0');
    await shot('15-overview');
    await page.goto(`${origin}/#/requests`);
    await page.getByTestId('queue-status').selectOption('');
    await page
      .getByTestId('request-queue')
      .getByText(/DSR-\d{4}-0001/)
      .waitFor();
    // The register report for the period, written in the window and downloaded.
    await page.getByTestId('report-from').fill(new Date(Date.now() - 60 * 86_400_000).toISOString().slice(0, 10));
    await page.getByTestId('report-format').selectOption('pdf');
    await page.getByTestId('write-report').click();
    await page.getByTestId('report-written').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('report-written').textContent()).toMatch(words.reportOf);
    const [report] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-report').click()]);
    const reportText = flat(pdfText(await report.path()));
    expect(reportText).toMatch(/DSR-\d{4}-0001/);
    expect(reportText).toMatch(/DSR-\d{4}-0002/);
    await shot('16-requests');
    // A request that is not there: the core's refusal in words and what to click, not a command line.
    await page.goto(`${origin}/#/requests/DSR-2000-0404`);
    await page.getByTestId('error-hint').waitFor();
    expect(await page.getByTestId('error').textContent()).not.toContain('dsr-desk');
    expect(await page.getByTestId('error-hint').getByRole('link').textContent()).toBe(words.allRequests);
    expect(await page.getByTestId('error-hint').getByRole('link').getAttribute('href')).toBe('#/requests');
    await shot('16b-request-not-found');
    await page.goto(`${origin}/#/settings`);
    await page.getByTestId('settings-form').waitFor();
    expect(await page.getByTestId('store-encrypted').textContent()).toMatch(/sqlcipher/);
    await shot('17-settings');

    // Back to the live desk in one click: the sandbox's data is gone, the first run asks for Zoom.
    await page.getByTestId('leave-sandbox').click();
    await page.getByTestId('try-sandbox').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('sandbox-banner').count()).toBe(0);
    await shot('18-after-sandbox');

    // Nothing left 127.0.0.1: every request the page made went to the desk itself.
    expect(requested.length).toBeGreaterThan(20);
    expect(requested.filter((url) => !url.startsWith(`${origin}/`) && !url.startsWith('data:'))).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
