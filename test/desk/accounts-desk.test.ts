import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { deskMode, saveScreenshot } from '../chromium';
import { tempDataDir } from '../helpers';
import { call, connectedCore } from '../sync/sync-helpers';
import { control, sandbox } from '../zoom/sandbox-helpers';
import { expectAccessible } from './desk-helpers';

// Several Zoom accounts in the window, in English and in German: a second account connected in
// Settings under a name, both synced, the mirror narrowed to one with its account filter, the
// overview's last sync and live state per account, and a disconnect whose records stay, marked.

const WORDS = {
  en: {
    labels: { accountId: 'Account ID', clientId: 'Client ID', secret: 'Client secret', apiUrl: 'API URL', oauthUrl: 'OAuth URL' },
    settings: 'Settings',
    connected: 'Connected “eu”. The next sync reads it.',
    euRows: '5 registrants',
    bySync: 'by sync only',
    off: 'off (no event subscription)',
    confirm: /Its 5 mirrored registrations .* stay in the mirror, marked as from a disconnected account, until the retention rules remove them\./,
    disconnected: /^Disconnected “eu”\. Its 5 registrations stay in the mirror, marked, until the retention rules remove them\.$/,
    marked: 'eu (disconnected)',
  },
  de: {
    labels: { accountId: 'Konto-ID', clientId: 'Client-ID', secret: 'Client-Secret', apiUrl: 'API-URL', oauthUrl: 'OAuth-URL' },
    settings: 'Einstellungen',
    connected: '„eu“ ist verbunden. Der nächste Abgleich liest es ein.',
    euRows: '5 Registrierungen',
    bySync: 'nur per Abgleich',
    off: 'aus (kein Ereignis-Abonnement)',
    confirm: /Seine 5 übernommenen Registrierungen .* bleiben im lokalen Datenbestand, als aus einem getrennten Konto gekennzeichnet, bis die Aufbewahrungsregeln sie entfernen\./,
    disconnected: /^„eu“ ist getrennt\. Seine 5 Registrierungen bleiben gekennzeichnet im lokalen Datenbestand, bis die Aufbewahrungsregeln sie entfernen\.$/,
    marked: 'eu (getrennt)',
  },
} as const;

const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const close of closers) await close();
});

describe.each(['en', 'de'] as const)('several Zoom accounts in %s', (lang) => {
  it('connects a second account in Settings, narrows the mirror to it, shows each account on the overview, and marks its records once disconnected', async () => {
    const words = WORDS[lang];
    // The demo as the default account (synced), and a second Zoom whose webinar has IDs of its own.
    const demo = await sandbox({ seed: 'demo' });
    const eu = await sandbox({ seed: 'empty' });
    const euWebinar = String((await control<{ id: number }>(eu, 'POST', 'webinars', { topic: 'EU members day', registrants: { approved: 4, pending: 1 } })).id);
    const dataDir = tempDataDir();
    const core = await connectedCore(demo, dataDir);
    await call(core, 'syncZoom', {});
    await core.close();
    const desk = await deskMode(dataDir);
    closers.push(desk.close);
    const context = await desk.browser.newContext({ locale: lang === 'de' ? 'de-DE' : 'en-GB', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    const origin = new URL(desk.door.url).origin;
    const shot = async (name: string) => {
      await saveScreenshot(page, `${lang}-accounts-${name}.png`);
      await expectAccessible(page, `${lang} ${name}`);
    };

    // Settings: the one account, then another connected under a name.
    await page.goto(desk.door.url);
    await page.getByTestId('open-count').waitFor({ timeout: 15_000 });
    await page.goto(`${origin}/#/settings`);
    const accounts = page.getByTestId('accounts');
    await accounts.getByTestId('account-row').first().waitFor();
    expect(await accounts.getByTestId('account-row').count()).toBe(1);
    await accounts.getByTestId('connect-another').click();
    await connect(page, words.labels, { ...eu.credentials, api_url: eu.apiUrl, oauth_url: eu.oauthUrl });
    await accounts.getByTestId('accounts-done').getByText(words.connected).waitFor({ timeout: 10_000 });
    const rows = accounts.getByTestId('account-row');
    await rows.nth(1).waitFor();
    expect(await rows.nth(1).textContent()).toContain(eu.apiUrl);
    await shot('01-settings');

    // The mirror: "Sync now" reads both; the account filter narrows the events and the rows.
    await page.goto(`${origin}/#/mirror`);
    await page.getByTestId('sync-start').click();
    // The bar shows the setup's sync already: the run that read "eu" is what to wait for.
    await expect.poll(async () => (await desk.core.service.listAccounts({})).accounts.find((a) => a.name === 'eu')?.last_sync_at ?? null, { timeout: 20_000 }).not.toBeNull();
    await expect.poll(async () => (await desk.core.service.getSyncStatus({})).running).toBe(false);
    const filter = page.getByTestId('account-filter');
    await filter.waitFor({ timeout: 10_000 });
    const total = desk.core.store.db.prepare('SELECT count(*) FROM registrants').pluck().get() as number;
    await page
      .getByTestId('registrant-total')
      .getByText(new RegExp(`^${total.toLocaleString(lang)} `))
      .waitFor({ timeout: 10_000 });
    await filter.selectOption('eu');
    await page.getByTestId('registrant-total').getByText(words.euRows).waitFor({ timeout: 5_000 });
    await expect.poll(() => page.getByTestId('row-account').allTextContents()).toEqual(Array(5).fill('eu'));
    expect(await page.getByTestId('webinar-list').getByRole('link').count()).toBe(2); // "all" and the EU webinar
    expect(await page.getByTestId('webinar-list').textContent()).toContain('EU members day');
    await shot('02-mirror-filtered');
    await filter.selectOption('default');
    await page
      .getByTestId('registrant-total')
      .getByText(new RegExp(`^${(total - 5).toLocaleString(lang)} `))
      .waitFor({ timeout: 5_000 });
    expect(await page.getByTestId('webinar-list').textContent()).not.toContain('EU members day');

    // The overview: each account's last sync, live changes for the default account only.
    await page.goto(`${origin}/#/`);
    const states = page.getByTestId('account-state');
    await states.nth(1).waitFor({ timeout: 10_000 });
    expect(await states.nth(0).textContent()).toContain(words.off);
    expect(await states.nth(1).textContent()).toContain(words.bySync);
    for (const state of await states.all()) expect(await state.locator('td').first().textContent()).toMatch(/\d/);
    await shot('03-overview');

    // Disconnect: the confirmation counts what stays; afterwards the mirror marks it.
    await page.goto(`${origin}/#/settings`);
    await page.getByRole('heading', { level: 1, name: words.settings }).waitFor();
    await page.getByTestId('disconnect-eu').click();
    const dialog = page.getByTestId('dialog-disconnect');
    await dialog.getByText(words.confirm).waitFor({ timeout: 5_000 });
    await shot('04-disconnect-dialog');
    await dialog.getByTestId('confirm-disconnect').click();
    expect(await page.getByTestId('accounts-done').textContent()).toMatch(words.disconnected);
    await page.getByTestId('disconnected-accounts').getByText('eu').waitFor();
    await page.getByTestId('account-row').nth(1).waitFor({ state: 'detached' });
    await shot('05-settings-disconnected');

    await page.goto(`${origin}/#/mirror/${euWebinar}`);
    await page.getByTestId('registrant-total').getByText(words.euRows).waitFor({ timeout: 10_000 });
    await page.getByTestId('event-disconnected').waitFor();
    await expect.poll(() => page.getByTestId('row-account').allTextContents()).toEqual(Array(5).fill(words.marked));
    await shot('06-mirror-disconnected');
    expect(errors).toEqual([]);
    await context.close();
  });
});

async function connect(
  page: Page,
  labels: (typeof WORDS)[keyof typeof WORDS]['labels'],
  account: { account_id: string; client_id: string; client_secret: string; api_url: string; oauth_url: string },
) {
  const form = page.getByTestId('connect-form');
  expect(await form.getByTestId('connect-name').inputValue()).toBe('');
  await form.getByTestId('connect-name').fill('eu');
  await form.getByLabel(labels.accountId, { exact: true }).fill(account.account_id);
  await form.getByLabel(labels.clientId, { exact: true }).fill(account.client_id);
  await form.getByLabel(labels.secret, { exact: true }).fill(account.client_secret);
  await form.locator('summary').click();
  await form.getByLabel(labels.apiUrl, { exact: true }).fill(account.api_url);
  await form.getByLabel(labels.oauthUrl, { exact: true }).fill(account.oauth_url);
  await form.getByTestId('connect').click();
}
