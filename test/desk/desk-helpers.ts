import axe from 'axe-core';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

// What every browser test of the desk does: check a screen with axe-core, reach a control by the
// keyboard alone, and wait for the window to settle.

/** axe-core on the page as it is; fails on any serious or critical violation, naming each. */
export async function expectAccessible(page: Page, screen: string): Promise<void> {
  // Evaluated through the DevTools protocol: the page's CSP (no inline scripts) stays as it is.
  await page.evaluate(axe.source);
  const violations = await page.evaluate(async () => {
    const result = await (window as unknown as { axe: typeof axe }).axe.run(document, { resultTypes: ['violations'] });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map(
        (v) =>
          `${v.id} (${v.impact}): ${v.help} at ${v.nodes
            .map((n) => n.target.join(' '))
            .slice(0, 3)
            .join(', ')}`,
      );
  });
  expect(violations, `axe on ${screen}`).toEqual([]);
}

/** Presses Tab until the focused element matches the selector (no mouse anywhere), or fails after `max` presses. */
export async function tabTo(page: Page, selector: string, max = 120): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate((sel) => document.activeElement?.matches(sel) ?? false, selector)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${selector}`);
}

/** Tabs to a control and activates it with Enter. */
export async function pressOn(page: Page, selector: string): Promise<void> {
  await tabTo(page, selector);
  await page.keyboard.press('Enter');
}
