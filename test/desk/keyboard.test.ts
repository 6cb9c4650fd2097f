import { afterAll, describe, expect, it } from 'vitest';
import { deskMode } from '../chromium';
import { tempDataDir } from '../helpers';
import { pressOn, tabTo } from './desk-helpers';

// The erasure flow by keyboard alone: Tab, Shift+Tab, Enter, Space and typing; no mouse event at all.

let close: (() => Promise<void>) | undefined;
afterAll(() => close?.());

describe('the desk by keyboard only', () => {
  it('takes a DPO from the first run through the sandbox, a sync, a new erasure request, identity, approval and the run to a verified result', async () => {
    const desk = await deskMode(tempDataDir());
    close = desk.close;
    const context = await desk.browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const mouse: string[] = [];
    await page.exposeFunction('sawMouse', (type: string) => mouse.push(type));
    await page.addInitScript(() => {
      for (const type of ['mousedown', 'mouseup', 'click', 'pointerdown']) {
        window.addEventListener(type, (event) => ((event as PointerEvent).detail > 0 || type !== 'click') && (window as unknown as { sawMouse(t: string): void }).sawMouse(type), true);
      }
    });
    await page.goto(desk.door.url);
    await page.getByTestId('reviewer-name').waitFor({ timeout: 15_000 });

    // The skip link comes first and lands on the screen's heading.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.className)).toBe('skip');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H1');

    await tabTo(page, '[data-testid="reviewer-name"]');
    await page.keyboard.type('Kim Keyboard');
    await pressOn(page, '[data-testid="save-desk"]');
    await page.getByTestId('try-sandbox').waitFor();
    await pressOn(page, '[data-testid="try-sandbox"]');
    await page.getByTestId('sandbox-banner').waitFor({ timeout: 20_000 });

    // To the mirror through the navigation, and sync.
    await pressOn(page, 'nav a[href="#/mirror"]');
    await page.getByTestId('sync-start').waitFor();
    await pressOn(page, '[data-testid="sync-start"]');
    await page.getByTestId('sync-last').waitFor({ timeout: 20_000 });
    // Focus stays where the reviewer left it, on Sync now, while it runs and after.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('sync-start');

    // A new erasure request (erasure is the default type), filed by keyboard.
    await pressOn(page, 'nav a[href="#/requests"]');
    await page.getByTestId('new-request').waitFor();
    await pressOn(page, '[data-testid="new-request"]');
    await tabTo(page, '[data-testid="request-email"]');
    await page.keyboard.type('erika.mustermann@example.com');
    await pressOn(page, '[data-testid="file-request"]');
    await page.getByTestId('request-status').waitFor({ timeout: 10_000 });

    // The identity dialog: focus moves into it; the note is typed, Enter on the submit button.
    await pressOn(page, '[data-testid="decide-verify"]');
    await page.getByTestId('dialog-verify').getByTestId('verify-method').waitFor();
    // The method from the list, by keyboard: the first choice after the prompt.
    await tabTo(page, '[data-testid="verify-method"]');
    await page.keyboard.press('ArrowDown');
    expect(await page.getByTestId('verify-method').inputValue()).toBe('reply_from_registered_address');
    await pressOn(page, '[data-testid="dialog-verify"] [data-testid="decision-submit"]');
    await page.getByTestId('decide-approve').waitFor();
    // Escape closes a dialog without deciding anything, and gives focus back to its button: Enter
    // at once opens it again, and it stays open (the close of the one before doesn't shut it).
    await pressOn(page, '[data-testid="decide-approve"]');
    const approveOpen = () => page.evaluate(() => (document.querySelector('[data-testid="dialog-approve"]') as HTMLDialogElement).open);
    for (let i = 0; i < 5; i++) {
      await page.keyboard.press('Escape');
      await page.keyboard.press('Enter');
      expect(await approveOpen()).toBe(true);
    }
    await page.keyboard.press('Escape');
    expect(await approveOpen()).toBe(false);
    expect(await page.getByTestId('request-status').textContent()).toBe('Identity verified');
    // An erasure's approval names its Art 17(1) ground and confirms the Art 17(3) check.
    await pressOn(page, '[data-testid="decide-approve"]');
    await tabTo(page, '[data-testid="approve-ground"]');
    await page.keyboard.press('ArrowDown');
    await tabTo(page, '[data-testid="approve-exceptions"]');
    await page.keyboard.press('Space');
    await pressOn(page, '[data-testid="dialog-approve"] [data-testid="decision-submit"]');
    await page.getByTestId('run-job').waitFor({ timeout: 10_000 });
    await pressOn(page, '[data-testid="run-job"]');
    await pressOn(page, '[data-testid="confirm-run"]');
    await page.getByTestId('job-result-status').getByText('Completed').waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-source="registrant"] [data-testid="step-verified"]').allTextContents()).toEqual(Array(5).fill('yes')); // three webinars, two meetings
    expect(await page.getByTestId('request-timeline').textContent()).toContain('Kim Keyboard');

    // Focus was visible all along: the focused control has an outline.
    await tabTo(page, '[data-testid="write-evidence"]');
    expect(await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle)).toBe('solid');
    expect(mouse).toEqual([]);
    await context.close();
  });
});
