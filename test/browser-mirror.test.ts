import fs from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpDoor } from '../electron/cli/http-door';
import type { ZoomSandbox } from '../electron/core/sandbox/server';
import { browserMode, saveScreenshot } from './chromium';
import { connectedCore, sandboxRegistrants } from './sync/sync-helpers';
import { control, sandbox } from './zoom/sandbox-helpers';
import { pdfText } from './documents/doc-helpers';

// The mirror as a person sees it in browser mode: sync from the page, the webinars with their
// counts, a registrant who cancelled themselves, and what the app says that means.

let box: ZoomSandbox;
let door: HttpDoor;
let browser: Browser;
let close: () => Promise<void>;

beforeAll(async () => {
  box = await sandbox({ seed: 'demo' });
  ({ door, browser, close } = await browserMode(await connectedCore(box)));
});
afterAll(() => close?.());

describe('the mirror in Chromium', () => {
  it('syncs from the page, shows counts per webinar, explains a registrant who is no longer listed, and takes an erasure request to a verified result', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    await page.goto(door.url);
    await page.getByTestId('sync-start').click();
    await page.getByText('Data protection in practice').waitFor({ timeout: 20_000 });
    const rows = page.getByTestId('webinars').locator('tbody tr');
    expect(await rows.count()).toBe(3);
    expect(await rows.filter({ hasText: 'Data protection in practice' }).locator('td.num').allTextContents()).toEqual(['16', '5', '3', '0', '0']);
    expect(await page.getByTestId('registrants-range').textContent()).toBe('1–50 of 59');

    // Someone cancels their own registration on Zoom; the next sync notices.
    const subject = (await sandboxRegistrants(box, '81234567890')).find((r) => r.status === 'approved' && r.email !== 'erika.mustermann@example.com')!;
    await control(box, 'POST', 'self-cancel', { webinar_id: '81234567890', registrant_id: subject.id });
    await page.getByTestId('sync-start').click();
    await page.getByTestId('sync-last').getByText(/incremental, completed/).waitFor({ timeout: 20_000 });
    await page.getByText('Data protection in practice').click();
    await page.getByTestId('filter-status').selectOption('gone');
    await page.getByTestId('registrants-range').getByText('1–1 of 1').waitFor({ timeout: 5_000 });
    const gone = page.getByTestId('registrants').locator('tbody tr');
    expect(await gone.textContent()).toContain(subject.email);
    expect(await gone.textContent()).toContain('self cancelled');
    await gone.click();
    const timeline = page.getByTestId('timeline');
    await timeline.waitFor();
    expect(await timeline.textContent()).toMatch(/self cancelled.*Cancelled by the registrant.*Zoom still holds the record.*How we know: read back: GET registrant answered HTTP 200 with status "all"/s);

    // The register: file a request from the page and see its due date and timeline.
    await page.getByTestId('request-type').selectOption('erasure');
    await page.getByTestId('request-email').fill('Erika.Mustermann@example.com');
    await page.getByTestId('request-file').click();
    const requestRow = page.getByTestId('requests').locator('tbody tr').first();
    await requestRow.waitFor({ timeout: 5_000 });
    expect(await requestRow.locator('td').allTextContents()).toEqual([expect.stringMatching(/^DSR-\d{4}-0001$/), 'erasure', 'received', expect.any(String), expect.any(String), expect.stringMatching(/^\d+$/)]);
    await requestRow.click();
    expect(await page.getByTestId('request-detail').textContent()).toMatch(/Subject erika\.mustermann@example\.com.*filed/s);

    // Decide and run it from the page: identity, approval, the job, its verified result.
    const actions = page.getByTestId('request-actions');
    await actions.getByTestId('reviewer').fill('Dana DPO');
    await actions.getByTestId('action-text').fill('answered a code sent to the registered address');
    await actions.getByTestId('verify-identity').click();
    await actions.getByTestId('approve').click();
    await actions.getByTestId('run-job').click();
    const job = page.getByTestId('job-result');
    await job.waitFor({ timeout: 20_000 });
    expect(await job.textContent()).toMatch(/^Job: completed/);
    expect((await job.textContent())!.match(/verified gone/g)).toHaveLength(3);
    expect(await job.textContent()).toMatch(/Left with Zoom, its API can't erase them:.*webinar 81234567892: 1 attendance record\(s\).*the address on its list of addresses blocked from registering/);
    expect(await page.getByTestId('request-detail').textContent()).toMatch(/verify identity.*by Dana DPO.*approve.*start job.*finish job/s);
    expect(await page.getByTestId('requests').locator('tbody tr').first().locator('td').nth(2).textContent()).toBe('completed');

    // The documents: each button writes its file into the data folder and says where it went.
    const documents = page.getByTestId('request-documents');
    await documents.getByTestId('write-evidence').click();
    await documents.getByTestId('write-letter').click();
    const written = documents.getByTestId('documents-written');
    await written.locator('li').nth(1).waitFor({ timeout: 20_000 });
    const paths = await written.locator('li code:first-of-type').allTextContents();
    expect(paths).toEqual([expect.stringMatching(/reply-DSR-\d{4}-0001-\d{8}T\d{6}Z\.pdf$/), expect.stringMatching(/evidence-DSR-\d{4}-0001-\d{8}T\d{6}Z\.pdf$/)]);
    for (const file of paths) expect(fs.statSync(file).size).toBeGreaterThan(10_000);
    expect(pdfText(paths[1]!)).toContain('Evidence of data-subject request DSR-');

    await saveScreenshot(page, 'mirror.png');
    await page.close();
  });
});
