import { afterAll, describe, expect, it } from 'vitest';
import type { ZoomSandbox } from '../../electron/core/sandbox/server';
import { deskMode, saveScreenshot } from '../chromium';
import { tempDataDir } from '../helpers';
import { IDENTITY_METHOD_WORDS } from '../../shared/legal-words';
import { SUBJECT } from '../jobs/job-helpers';
import { call, connectedCore } from '../sync/sync-helpers';
import { control, sandbox } from '../zoom/sandbox-helpers';
import { expectAccessible } from './desk-helpers';

// Issue 28 in the window, in English and in German: a request for a person with a second address,
// added by hand, each address's identity checked on its own, and the name matches under other
// addresses, one accepted and one dismissed. Every screen captured (DSR_DESK_SCREENSHOTS) and checked with axe.

const PRIVATE = 'erika.private@example.net';
const NAMESAKE = 'e.mustermann@example.org';
const OTHER_ERIKA = 'erika.m@example.net';

const WORDS = {
  en: {
    received: 'Received',
    verified: 'Identity verified',
    unchecked: 'Identity not checked yet',
    checked: /Identity checked: confirmed through an existing account \(by Dana DPO/,
    accepted: /^Accepted by Dana DPO/,
    dismissed: /^Dismissed by Dana DPO/,
  },
  de: {
    received: 'Eingegangen',
    verified: 'Identität geprüft',
    unchecked: 'Identität noch nicht geprüft',
    checked: /Identität geprüft: .* \(durch Dana DPO/,
    accepted: /^Angenommen von Dana DPO/,
    dismissed: /^Verworfen von Dana DPO/,
  },
} as const;

const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const close of closers) await close();
});

describe.each(['en', 'de'] as const)('a person with several addresses, in the desk in %s', (lang) => {
  it('adds a second address, checks each identity, accepts one name match and dismisses another', async () => {
    const words = WORDS[lang];
    const box: ZoomSandbox = await sandbox({ seed: 'demo' });
    closers.push(() => box.close());
    // The subject registered privately too; two more addresses carry her name.
    await control(box, 'POST', 'register', { webinar_id: '81234567890', email: PRIVATE, first_name: 'Erika', last_name: 'Mustermann' });
    await control(box, 'POST', 'register', { webinar_id: '81234567891', email: NAMESAKE, first_name: 'Erika', last_name: 'Mustermann' });
    await control(box, 'POST', 'register', { webinar_id: '81234567890', email: OTHER_ERIKA, first_name: 'Erika', last_name: 'Mustermann' });
    const dataDir = tempDataDir();
    const core = await connectedCore(box, dataDir);
    await core.service.updateSettings({ ui_language: lang, time_zone: 'Europe/Berlin' });
    await call(core, 'syncZoom', {});
    const { id } = await call(core, 'createRequest', { type: 'erasure', email: SUBJECT, by: 'Dana DPO' });
    await core.close();

    const desk = await deskMode(dataDir);
    closers.push(desk.close);
    const context = await desk.browser.newContext({ locale: lang === 'de' ? 'de-DE' : 'en-GB', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    const shot = async (name: string) => {
      await saveScreenshot(page, `addresses-${lang}-${name}.png`);
      await expectAccessible(page, `${lang} ${name}`);
    };
    await page.goto(desk.door.url);
    await page.goto(`${new URL(desk.door.url).origin}/#/requests/${id}`);
    const addresses = page.getByTestId('request-addresses');
    await addresses.getByTestId('request-address').first().waitFor({ timeout: 15_000 });
    expect(await addresses.getByTestId('request-address').count()).toBe(1);
    // Three name matches are offered, open (her private address among them), before anything is decided.
    await page.getByTestId('suggestion').nth(2).waitFor();
    expect(await page.getByTestId('suggestion').evaluateAll((items) => items.map((i) => [i.querySelector('strong')?.textContent, i.getAttribute('data-state')]))).toEqual([
      [NAMESAKE, 'open'],
      [OTHER_ERIKA, 'open'],
      [PRIVATE, 'open'],
    ]);
    await shot('01-one-address');

    // A second address, typed in by hand.
    await page.getByTestId('add-address-email').fill(PRIVATE);
    await page.getByTestId('add-address-submit').click();
    await addresses.getByTestId('request-address').nth(1).waitFor();
    expect(await addresses.getByTestId('request-address').nth(1).textContent()).toContain(PRIVATE);
    expect(await addresses.getByTestId('address-identity').allTextContents()).toEqual([words.unchecked, words.unchecked]);
    // Now one of the request's own addresses, it is no longer suggested.
    await page.getByTestId('suggestion').filter({ hasText: PRIVATE }).waitFor({ state: 'detached' });

    // The identity behind the second address, on its own: the request stays received.
    await page.getByTestId('verify-address-2').click();
    const dialog = page.getByTestId('dialog-verify-address');
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain(PRIVATE);
    await shot('02-verify-one-address');
    await dialog.getByTestId('verify-method').selectOption('existing_account');
    await dialog.getByTestId('decision-submit').click();
    await dialog.waitFor({ state: 'hidden' });
    await addresses.getByTestId('address-identity').nth(1).getByText(words.checked).waitFor();
    expect(await page.getByTestId('request-status').textContent()).toBe(words.received);

    // One match is someone else: dismissed, and it stays dismissed. The other is her: accepted, and its identity is checked in turn.
    await page.getByTestId('suggestion').filter({ hasText: OTHER_ERIKA }).getByTestId('suggestion-dismiss').click();
    await page.getByTestId('suggestion').filter({ hasText: OTHER_ERIKA }).getByText(words.dismissed).waitFor();
    await page.getByTestId('suggestion').filter({ hasText: NAMESAKE }).getByTestId('suggestion-accept').click();
    await page.getByTestId('suggestion').filter({ hasText: NAMESAKE }).getByText(words.accepted).waitFor();
    await addresses.getByTestId('request-address').nth(2).waitFor();
    expect(await addresses.getByTestId('request-address').nth(2).textContent()).toContain(NAMESAKE);
    await shot('03-suggestions-decided');

    // Everything left unchecked at once (the first address and the accepted one): now the request is verified.
    await page.getByTestId('decide-verify').click();
    const all = page.getByTestId('dialog-verify');
    await all.getByTestId('verify-method').selectOption('reply_from_registered_address');
    await all.getByTestId('decision-submit').click();
    await all.waitFor({ state: 'hidden' });
    await page.getByTestId('request-status').getByText(words.verified).waitFor();
    expect(await addresses.getByTestId('address-identity').allTextContents()).not.toContain(words.unchecked);
    const timeline = await page.getByTestId('request-timeline').textContent();
    // Each address's check in the history, its method in the window's language.
    expect(timeline).toContain(`e***@example.net: ${IDENTITY_METHOD_WORDS[lang].existing_account}`);
    expect(timeline).not.toContain('existing_account');
    await shot('04-every-address-verified');

    expect(await desk.core.dispatch('getRequest', { id })).toMatchObject({ ok: true, value: { status: 'identity_verified', emails: [SUBJECT, PRIVATE, NAMESAKE] } });
    expect(errors).toEqual([]);
    await context.close();
  });
});
