import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpDoor } from '../../electron/cli/http-door';
import { newIdentity } from '../../electron/core/backup/age';
import { openDesk } from '../../electron/core/open-desk';
import { builtRendererDir } from '../../electron/core/paths';
import type { ZoomSandbox } from '../../electron/core/sandbox/server';
import { openCore } from '../../electron/core/service';
import { deskMode, launchChromium, saveScreenshot } from '../chromium';
import { tempDataDir } from '../helpers';
import { call } from '../sync/sync-helpers';
import { sandbox } from '../zoom/sandbox-helpers';
import { expectAccessible } from './desk-helpers';

// The desk's side of issue 25: the recovery key and the backups in Settings, the warnings on every
// screen and on the overview, and the unlock screen for a store whose key this keychain lacks.

let box: ZoomSandbox;
let desk: Awaited<ReturnType<typeof deskMode>>;
let folder: string;
beforeAll(async () => {
  box = await sandbox({ seed: 'demo' });
  desk = await deskMode(tempDataDir());
  await desk.core.service.updateSettings({ operator: 'Dana DPO' });
  await desk.core.dispatch('connectZoom', { ...box.credentials, api_url: box.apiUrl, oauth_url: box.oauthUrl });
  folder = tempDataDir();
});
afterAll(async () => {
  await desk?.close();
  await box?.close();
});

describe('backups in the desk', () => {
  it('warns without a recovery key, makes one, and makes a backup from the window that is then listed (English, then German; axe clean)', { timeout: 120_000 }, async () => {
    const context = await desk.browser.newContext({ locale: 'en-GB' });
    const page = await context.newPage();
    await page.goto(desk.door.url);
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    expect(await page.getByTestId('no-recovery-key').textContent()).toContain("No recovery key: losing this computer's keychain loses the register.");
    expect(await page.getByTestId('backup-overdue').textContent()).toContain('No backup folder is set');
    await expectAccessible(page, 'overview without a recovery key');

    await page.goto(`${new URL(desk.door.url).origin}/#/settings`);
    await page.getByTestId('recovery-key').waitFor();
    await saveScreenshot(page, 'en-settings-no-recovery-key.png');
    await page.getByTestId('make-recovery-key').click();
    const shown = page.getByTestId('recovery-key-dialog');
    await shown.waitFor();
    const identity = (await page.getByTestId('recovery-identity').textContent())!.trim();
    expect(identity).toMatch(/^AGE-SECRET-KEY-1[0-9A-Z]{58}$/);
    await expectAccessible(page, 'the recovery key, shown once');
    await page.getByTestId('recovery-key-done').click();
    await page.getByTestId('no-recovery-key').waitFor({ state: 'detached' });
    expect(await page.getByTestId('recovery-state').textContent()).toContain('A recovery key was made on');

    await page.getByTestId('backup-folder').fill(folder);
    await page.getByTestId('save-backup-settings').click();
    await page.getByTestId('backups').getByRole('status').waitFor();
    await page.getByTestId('back-up-now').click();
    const list = page.getByTestId('backup-list');
    await list.waitFor({ timeout: 30_000 });
    const files = fs.readdirSync(folder).filter((name) => /^dsr-desk-backup-.*\.age$/.test(name));
    expect(files).toHaveLength(1);
    expect(await list.locator('tbody tr').count()).toBe(1);
    expect(await list.textContent()).toContain(files[0]);
    expect(await page.getByTestId('last-backup').textContent()).toContain(path.join(folder, files[0]!));
    await saveScreenshot(page, 'en-settings-backups.png');
    await expectAccessible(page, 'settings with a backup');
    // The backup opens with the key the window showed.
    expect(await desk.core.service.verifyBackup({ file: path.join(folder, files[0]!), identity })).toMatchObject({ ok: true });

    await desk.core.service.updateSettings({ ui_language: 'de' });
    await desk.core.service.updateSettings({ backup_keep: 5 });
    await page.reload();
    await page.getByRole('heading', { level: 2, name: 'Sicherungen' }).waitFor();
    await page.getByTestId('back-up-now').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="backup-list"] tbody tr').length === 2, undefined, { timeout: 30_000 });
    expect(await page.getByTestId('back-up-now').textContent()).toBe('Jetzt sichern');
    expect(await page.getByTestId('recovery-state').textContent()).toContain('wurde ein Wiederherstellungsschlüssel erstellt');
    await saveScreenshot(page, 'de-settings-backups.png');
    await expectAccessible(page, 'Einstellungen mit Sicherungen');
    await desk.core.service.updateSettings({ ui_language: 'en' });
    await context.close();
  });
});

describe('the unlock screen', () => {
  it('a copy of the data folder opens locked in the window; the recovery key unlocks it in place', { timeout: 60_000 }, async () => {
    const dataDir = tempDataDir();
    const core = await openCore({ dataDir });
    await core.service.updateSettings({ operator: 'Dana DPO', ui_language: 'en' });
    const filed = await call(core, 'createRequest', { type: 'access', email: 'someone@example.org', by: 'Dana DPO' });
    const { identity } = await call(core, 'createRecoveryKey', {});
    await core.close();
    const copy = path.join(tempDataDir(), 'copied');
    fs.cpSync(dataDir, copy, { recursive: true });

    const locked = await openDesk({ dataDir: copy });
    const door = await startHttpDoor({ dispatch: locked.dispatch, staticDir: builtRendererDir() });
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ locale: 'en-GB' });
      await page.goto(door.url);
      await page.getByRole('heading', { level: 1, name: 'Unlock the register' }).waitFor();
      // The core's message says what is wrong in words; the window is the unlock, so no command line shows.
      const detail = await page.getByTestId('unlock-detail').textContent();
      expect(detail).toContain('The recovery key (the AGE-SECRET-KEY-1… line on the recovery sheet) puts the key back into this keychain');
      expect(detail).not.toMatch(/`|dsr-desk (unlock|restore)/);
      await saveScreenshot(page, 'en-unlock.png');
      await expectAccessible(page, 'the unlock screen');
      await page.getByTestId('unlock-identity').fill('AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ');
      await page.getByTestId('unlock-submit').click();
      await page.getByText('INVALID_INPUT').first().waitFor();
      expect(await page.locator('main').textContent()).toContain('a character is wrong');
      await page.getByTestId('unlock-identity').fill((await newIdentity()).identity);
      await page.getByTestId('unlock-submit').click();
      await page.getByText('BACKUP_IDENTITY_WRONG').first().waitFor();
      await page.getByTestId('unlock-identity').fill(identity);
      await page.getByTestId('unlock-submit').click();
      // Unlocked: the desk opens in place. Zoom's credentials were the other folder's, so it asks for Zoom first.
      await page.getByRole('heading', { level: 1, name: 'Welcome to DSR Desk' }).waitFor({ timeout: 20_000 });
      expect(await page.getByTestId('reviewer').textContent()).toBe('Working as Dana DPO');
      const listed = await locked.dispatch('listRequests', {});
      expect(listed).toMatchObject({ ok: true, value: { requests: [{ id: filed.id }] } });
    } finally {
      await browser.close();
      await door.close();
      await locked.close();
    }
  });
});
