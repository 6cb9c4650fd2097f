import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZoomSandbox } from '../../electron/core/sandbox/server';
import { deskMode, saveScreenshot } from '../chromium';
import { tempDataDir } from '../helpers';
import { liveCore } from '../live/live-helpers';
import { call, sandboxRegistrants } from '../sync/sync-helpers';
import { control, sandbox } from '../zoom/sandbox-helpers';

// The desk holds the event subscription while it is open: it says so, a registrant's own cancel on
// Zoom shows in the window without anyone pressing "Sync now", and "Sync now" then reads only what
// the events did not keep current.

let box: ZoomSandbox;
let desk: Awaited<ReturnType<typeof deskMode>>;
beforeAll(async () => {
  box = await sandbox({ seed: 'demo', plan: 'business' });
  const dataDir = tempDataDir();
  const core = await liveCore(box, dataDir);
  await core.service.updateSettings({ operator: 'Dana DPO', zoom_plan: 'business', ui_language: 'en' });
  await call(core, 'syncZoom', {});
  await core.close();
  desk = await deskMode(dataDir);
});
afterAll(async () => {
  await desk?.close();
  await box?.close();
});

describe('live changes in the window', () => {
  it('shows that it is live, and a self-cancel on Zoom appears in the mirror, marked observed live, without a sync', async () => {
    const page = await desk.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(desk.door.url);
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor({ timeout: 15_000 });
    await page.goto(`${new URL(desk.door.url).origin}/#/mirror`);
    await page
      .getByTestId('live-state')
      .getByText(/^Live changes: on since/)
      .waitFor({ timeout: 15_000 });

    const subject = (await sandboxRegistrants(box, '81234567890')).find((r) => r.status === 'approved' && r.email !== 'erika.mustermann@example.com')!;
    // The reconciliation after connecting is done: from here on, no sync runs.
    for (let i = 0; i < 100 && (await desk.core.service.getLiveStatus({})).reconciled_at === null; i++) await page.waitForTimeout(100);
    const runsBefore = desk.core.store.db.prepare('SELECT count(*) FROM sync_runs').pluck().get();
    await control(box, 'POST', 'self-cancel', { webinar_id: '81234567890', registrant_id: subject.id });
    await page
      .getByTestId('live-state')
      .getByText(/1 change heard/)
      .waitFor({ timeout: 5_000 });
    await page.getByTestId('registrant-kind').selectOption('self_cancelled');
    await page.getByTestId('registrant-total').getByText('1 registrant').waitFor({ timeout: 5_000 });
    const row = page.getByTestId('registrant-row').first();
    expect(await row.textContent()).toContain(subject.email);
    await row.getByRole('button').click();
    const drawer = page.getByTestId('registrant-drawer');
    await drawer
      .getByText(/observed live/)
      .first()
      .waitFor();
    expect(await drawer.textContent()).toMatch(/Cancelled by the registrant.*observed live.*How it was established: observed live: Zoom sent webinar\.registration_cancelled/s);
    await saveScreenshot(page, 'en-live-drawer.png');
    expect(desk.core.store.db.prepare('SELECT count(*) FROM sync_runs').pluck().get()).toBe(runsBefore);

    // "Sync now" while live reads the webinar the event changed, and says which it left alone.
    await page.keyboard.press('Escape');
    await page.getByTestId('sync-start').click();
    const last = page.getByTestId('sync-last');
    await last.getByText(/not read again/).waitFor({ timeout: 15_000 });
    const kept = desk.core.store.db.prepare('SELECT kept_by_events FROM sync_runs ORDER BY id DESC LIMIT 1').pluck().get() as number;
    expect(kept).toBeGreaterThan(0);
    expect(await last.textContent()).toContain(
      `${kept} upcoming ${kept === 1 ? 'webinar or meeting' : 'webinars and meetings'} not read again: live changes kept ${kept === 1 ? 'it' : 'them'} current`,
    );
    await saveScreenshot(page, 'en-live-sync.png');
    await page.close();
  });
});
