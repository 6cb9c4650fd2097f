import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZoomSandbox } from '../../electron/core/sandbox/server';
import { deskMode, saveScreenshot } from '../chromium';
import { tempDataDir } from '../helpers';
import { connectedCore, sandboxRegistrants } from '../sync/sync-helpers';
import { control, sandbox } from '../zoom/sandbox-helpers';

// The mirror on a connected (live) desk: a registrant who cancelled themselves, explained; and a
// webinar of 20,000 registrants that the window pages through without ever holding them all.

let box: ZoomSandbox;
let desk: Awaited<ReturnType<typeof deskMode>>;
beforeAll(async () => {
  box = await sandbox({ seed: 'demo', plan: 'business' });
  const dataDir = tempDataDir();
  const core = await connectedCore(box, dataDir);
  await core.service.updateSettings({ operator: 'Dana DPO', zoom_plan: 'business', ui_language: 'en' });
  await core.close();
  desk = await deskMode(dataDir);
});
afterAll(async () => {
  await desk?.close();
  await box?.close();
});

describe('the mirror in the window', () => {
  it('shows a registrant who cancelled themselves as such, and how that was established', async () => {
    const page = await desk.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(desk.door.url);
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor({ timeout: 15_000 });
    await page.goto(`${new URL(desk.door.url).origin}/#/mirror`);
    await page.getByTestId('sync-start').click();
    await page.getByTestId('registrant-total').getByText('75 registrants').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('webinar-list').textContent()).toContain('Data protection in practice');

    const subject = (await sandboxRegistrants(box, '81234567890')).find((r) => r.status === 'approved' && r.email !== 'erika.mustermann@example.com')!;
    await control(box, 'POST', 'self-cancel', { webinar_id: '81234567890', registrant_id: subject.id });
    await page.getByTestId('sync-start').click();
    await page.getByTestId('sync-progress').waitFor({ state: 'detached', timeout: 20_000 });
    await page.getByTestId('registrant-kind').selectOption('self_cancelled');
    expect(page.url()).toContain('kind=self_cancelled');
    await page.getByTestId('registrant-total').getByText('1 registrant').waitFor({ timeout: 5_000 });
    const row = page.getByTestId('registrant-row').first();
    expect(await row.textContent()).toContain(subject.email);
    expect(await row.textContent()).toContain('Cancelled by the registrant');
    await row.getByRole('button').click();
    const drawer = page.getByTestId('registrant-drawer');
    await drawer.getByText(/How it was established: read back/).waitFor();
    expect(await drawer.textContent()).toMatch(/Cancelled by the registrant.*How it was established: read back: GET registrant answered HTTP 200 with status "all"/s);
    await page.keyboard.press('Escape');
    expect(await drawer.count()).toBe(0);

    // The overview answers "what changed" at a glance.
    await page.goto(`${new URL(desk.door.url).origin}/#/`);
    const changes = page.getByTestId('changes-by-kind');
    await changes.waitFor();
    expect(await changes.locator('tr', { hasText: 'Cancelled by the registrant' }).locator('td.num').textContent()).toBe('1');
    await page.close();
  });

  it('pages a webinar of 20,000 registrants from the core: scrolled top to bottom, the page never holds 200 rows', async () => {
    const { id } = await control<{ id: number }>(box, 'POST', 'webinars', { topic: 'Big annual conference', registrants: { approved: 20_000 } });
    const page = await desk.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(desk.door.url);
    await page.goto(`${new URL(desk.door.url).origin}/#/mirror/${id}`);
    await page.getByTestId('sync-start').click();
    await page.getByTestId('registrant-total').getByText('20,000 registrants').waitFor({ timeout: 60_000 });
    const scroller = page.getByTestId('registrant-scroller');
    const rowsInDom = () => page.locator('tbody[data-testid="registrant-rows"] tr').count();
    let most = await rowsInDom();
    const height = await scroller.evaluate((el) => el.scrollHeight);
    for (let top = 0; top < height; top += Math.round(height / 25)) {
      await scroller.evaluate((el, y) => el.scrollTo({ top: y }), top);
      await page.waitForTimeout(30);
      most = Math.max(most, await rowsInDom());
    }
    await scroller.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    const last = page.locator('[aria-rowindex="20001"]');
    await last.getByRole('button').waitFor({ timeout: 10_000 });
    most = Math.max(most, await rowsInDom());
    expect(most).toBeLessThan(200);
    expect(await page.locator('table[aria-rowcount="20001"]').count()).toBe(1);
    await saveScreenshot(page, 'en-mirror-big-webinar-bottom.png');

    // People register while the person is half way down; then a sync ends. The table is refreshed
    // in place: the same scroll element, the same position, the new rows counted.
    const element = await scroller.elementHandle();
    await scroller.evaluate((el) => el.scrollTo({ top: el.scrollHeight / 2 }));
    await page.waitForTimeout(300);
    const before = await scroller.evaluate((el) => el.scrollTop);
    const rowBefore = await page.getByTestId('registrant-row').first().getAttribute('aria-rowindex');
    for (let i = 0; i < 4; i++) await control(box, 'POST', 'register', { webinar_id: id, email: `late${i}@example.org`, first_name: 'Late', last_name: `Comer ${i}` });
    await page.getByTestId('sync-start').click();
    await page.getByTestId('registrant-total').getByText('20,004 registrants').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('registrant-added').textContent()).toContain('4 new');
    expect(await element!.evaluate((el) => el.isConnected)).toBe(true);
    expect(await page.getByTestId('registrant-scroller').evaluate((el, old) => el === old, element)).toBe(true);
    expect(Math.abs((await scroller.evaluate((el) => el.scrollTop)) - before)).toBeLessThan(40);
    expect(Math.abs(Number(await page.getByTestId('registrant-row').first().getAttribute('aria-rowindex')) - Number(rowBefore))).toBeLessThan(3);
    await page.close();
  });
});
