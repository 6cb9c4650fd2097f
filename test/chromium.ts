import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startHttpDoor, type HttpDoor } from '../electron/cli/http-door';
import { builtRendererDir } from '../electron/core/paths';
import { openCore, type Core } from '../electron/core/service';
import { createDesk } from '../electron/core/desk';

// Debian's Chromium, driven by playwright-core: Playwright's own browser download is not used.
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/** Browser mode for a core: its HTTP door and a Chromium to open it. `close` ends both, and the core. */
export async function browserMode(core: Core): Promise<{ door: HttpDoor; browser: Browser; close(): Promise<void> }> {
  const door = await startHttpDoor({ dispatch: core.dispatch, staticDir: builtRendererDir() });
  const browser = await launchChromium();
  return {
    door,
    browser,
    async close() {
      await browser.close();
      await door.close();
      await core.close();
    },
  };
}

/**
 * The desk in browser mode, as `dsr-desk serve` runs it: the core of a data folder behind the desk
 * (live or sandbox), its HTTP door and a Chromium. `close` ends all of them.
 */
export async function deskMode(dataDir: string): Promise<{ door: HttpDoor; browser: Browser; core: Core; close(): Promise<void> }> {
  const core = await openCore({ dataDir });
  const desk = createDesk(core, { dataDir });
  const door = await startHttpDoor({ dispatch: desk.dispatch, staticDir: builtRendererDir() });
  const browser = await launchChromium();
  return {
    door,
    browser,
    core,
    async close() {
      await browser.close();
      await door.close();
      await desk.close();
      await core.close();
    },
  };
}

/** Saves what the page shows, for a person to look at, when DSR_DESK_SCREENSHOTS names a folder. */
export async function saveScreenshot(page: Page, name: string): Promise<void> {
  if (!process.env.DSR_DESK_SCREENSHOTS) return;
  fs.mkdirSync(process.env.DSR_DESK_SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(process.env.DSR_DESK_SCREENSHOTS, name), fullPage: true });
}
