import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpDoor } from '../electron/cli/http-door';
import { LATEST_SCHEMA_VERSION } from '../electron/core/store/migrations';
import { openCore } from '../electron/core/service';
import { browserMode, saveScreenshot } from './chromium';
import { tempDataDir } from './helpers';

let door: HttpDoor;
let browser: Browser;
let close: () => Promise<void>;
let dataDir: string;

beforeAll(async () => {
  dataDir = tempDataDir();
  ({ door, browser, close } = await browserMode(await openCore({ dataDir })));
});
afterAll(() => close?.());

describe('browser mode in Chromium', () => {
  it('opens the printed address and shows the store status read through the contract', async () => {
    const page = await browser.newPage();
    await page.goto(door.url);
    await page.getByTestId('store-encrypted').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('store-encrypted').textContent()).toBe('Yes (sqlcipher)');
    expect(await page.getByTestId('store-path').textContent()).toBe(path.join(dataDir, 'dsr-desk.db'));
    expect(await page.getByTestId('store-schema').textContent()).toBe(`${LATEST_SCHEMA_VERSION} of ${LATEST_SCHEMA_VERSION}`);
    expect(await page.getByTestId('zoom-account').textContent()).toMatch(/^Not connected/);
    // The token leaves the address bar once read.
    expect(page.url()).not.toContain('token=');
    await saveScreenshot(page, 'store-status.png');
    await page.close();
  });

  it('without the token the page shows the refusal, not data', async () => {
    const page = await browser.newPage();
    await page.goto(door.url.replace(/#.*$/, ''));
    await page.getByTestId('store-error').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('store-error').textContent()).toContain('UNAUTHORIZED');
    expect(await page.getByTestId('store-path').count()).toBe(0);
    await page.close();
  });
});

