import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZoomSandbox } from '../../electron/core/sandbox/server';
import { LATEST_SCHEMA_VERSION } from '../../electron/core/store/migrations';
import { deskMode, saveScreenshot } from '../chromium';
import { tempDataDir } from '../helpers';
import { control, sandbox } from '../zoom/sandbox-helpers';
import { expectAccessible } from './desk-helpers';

// The first run against a Zoom that says no: wrong credentials, an unreachable server, an app
// without the scopes DSR Desk needs. Each error says what to do; nothing is stored until it works.

let box: ZoomSandbox;
let desk: Awaited<ReturnType<typeof deskMode>>;
let dataDir: string;
beforeAll(async () => {
  box = await sandbox({ seed: 'demo' });
  dataDir = tempDataDir();
  desk = await deskMode(dataDir);
});
afterAll(async () => {
  await desk?.close();
  await box?.close();
});

async function connect(page: Page, secret: string, oauthUrl = box.oauthUrl): Promise<void> {
  const form = page.getByTestId('connect-form');
  await form.getByLabel('Account ID').fill(box.credentials.account_id);
  await form.getByLabel('Client ID').fill(box.credentials.client_id);
  await form.getByLabel('Client secret').fill(secret);
  if ((await form.locator('details').getAttribute('open')) === null) await form.locator('summary').click();
  await form.getByLabel('API URL').fill(box.apiUrl);
  await form.getByLabel('OAuth URL').fill(oauthUrl);
  await form.getByTestId('connect').click();
}

describe('the first run against Zoom', () => {
  it('names what is wrong (credentials, reachability, each missing scope), stores nothing, then connects and remembers the reviewer', async () => {
    const context = await desk.browser.newContext({ locale: 'en-GB' });
    const page = await context.newPage();
    await page.goto(desk.door.url);
    expect(page.url()).not.toContain('token='); // the token leaves the address bar once read
    await page.getByTestId('reviewer-name').fill('R');
    await page.getByTestId('save-desk').click();
    expect(await page.getByText('Give your name (at least 2 characters).').count()).toBe(1);
    await page.getByTestId('reviewer-name').fill('Rui Reviewer');
    await page.getByTestId('save-desk').click();
    await page.getByTestId('connect-form').waitFor();
    // The first account is kept under the default name (the one live changes are held for).
    expect(await page.getByTestId('connect-name').inputValue()).toBe('default');

    const error = page.getByTestId('connect-error');
    await connect(page, 'not-the-secret');
    await error.waitFor({ timeout: 10_000 });
    expect(await error.textContent()).toMatch(/Zoom did not accept the credentials: check the account ID, client ID and client secret\..*ZOOM_AUTH_FAILED/);
    expect(await error.textContent()).not.toContain('not-the-secret');

    await connect(page, box.credentials.client_secret, 'http://127.0.0.1:9');
    await error.getByText('ZOOM_UNAVAILABLE').waitFor({ timeout: 10_000 });
    expect(await error.textContent()).toContain('Zoom cannot be reached: check the network and try again.');

    await control(box, 'POST', 'scopes', { scope: 'webinar:read:admin report:read:admin' });
    await connect(page, box.credentials.client_secret);
    await error.getByText('ZOOM_MISSING_SCOPES').waitFor({ timeout: 10_000 });
    const scopes = await error.textContent();
    expect(scopes).toContain('The Zoom app lacks scopes DSR Desk needs');
    expect(scopes).toContain('webinar:update:registrant_status:admin (or classic webinar:write:admin) to cancel a registration');
    expect(scopes).toContain('webinar:delete:registrant:admin (or classic webinar:write:admin) to delete a registration');
    await saveScreenshot(page, 'en-first-run-missing-scopes.png');
    await expectAccessible(page, 'first run with an error');
    expect((await desk.core.service.getZoomConnection({})).connected).toBe(false);

    await control(box, 'POST', 'scopes', { scope: 'user:read:admin webinar:read:admin webinar:write:admin report:read:admin' });
    await connect(page, box.credentials.client_secret);
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('sandbox-banner').count()).toBe(0);
    expect(await page.getByTestId('reviewer').textContent()).toBe('Working as Rui Reviewer');

    // The store, as the settings screen shows it; reload keeps the screen.
    await page.goto(`${new URL(desk.door.url).origin}/#/settings`);
    await page.reload();
    expect(await page.getByTestId('store-encrypted').textContent()).toBe('Yes (sqlcipher), key in the keychain');
    expect(await page.getByTestId('store-path').textContent()).toBe(path.join(dataDir, 'dsr-desk.db'));
    expect(await page.getByTestId('store-schema').textContent()).toBe(`${LATEST_SCHEMA_VERSION} of ${LATEST_SCHEMA_VERSION}`);
    // Switching the window to German is a setting, and takes effect at once.
    await page.getByTestId('settings-ui-language').selectOption('de');
    await page.getByTestId('save-settings').click();
    await page.getByRole('heading', { level: 1, name: 'Einstellungen' }).waitFor();
    await context.close();
  });

  it('without the token the page shows the refusal, not data', async () => {
    const page = await desk.browser.newPage();
    await page.goto(desk.door.url.replace(/#.*$/, ''));
    await page.getByTestId('store-error').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('store-error').textContent()).toContain('UNAUTHORIZED');
    expect(await page.getByTestId('store-path').count()).toBe(0);
    await page.close();
  });
});
