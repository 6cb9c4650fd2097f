import type { Command } from 'commander';
import { AppError } from '../../../shared/errors';
import { SANDBOX_DEFAULT_PORT } from '../../core/sandbox/server';
import { readSecretFromStdin, runOperation, parsePort, type CliContext, type GlobalOptions } from './context';

// The dsr-desk commands for connecting a Zoom account: each command's flags, its call and its output together.

/** The credentials a running `dsr-desk sandbox` hands out on its control endpoint. */
async function sandboxCredentials(port: number): Promise<Record<string, unknown>> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/_sandbox/info`, { signal: AbortSignal.timeout(5000) });
    const info = (await response.json()) as Record<string, unknown>;
    return {
      account_id: info.account_id,
      client_id: info.client_id,
      client_secret: info.client_secret,
      api_url: info.api_url,
      oauth_url: info.oauth_url,
      event_subscription_id: info.event_subscription_id,
      ws_url: info.ws_url,
    };
  } catch {
    throw new AppError('ZOOM_UNAVAILABLE', `No Zoom sandbox is answering on 127.0.0.1:${port}. Start one in another terminal with \`npx dsr-desk sandbox\`, then connect again.`);
  }
}

export function registerZoomCommands(program: Command, { withCore }: CliContext): void {
  program
    .command('connect')
    .description('prove Zoom Server-to-Server OAuth credentials (a token and one read call), then keep them in the keychain')
    .option('--account-id <id>', "the app's Account ID")
    .option('--client-id <id>', "the app's Client ID")
    .option('--client-secret-stdin', 'read the Client Secret from standard input (never pass it as an argument)')
    .option('--api-url <url>', 'Zoom API base URL', 'https://api.zoom.us/v2')
    .option('--oauth-url <url>', 'Zoom OAuth base URL', 'https://zoom.us')
    .option(
      '--event-subscription-id <id>',
      "the app's WebSocket event subscription (with webinar.registration_created, _approved, _denied, _cancelled and webinar.deleted), for `dsr-desk watch` and the desk's live changes",
    )
    .option('--ws-url <url>', "that subscription's socket (default wss://ws.zoom.us/ws; plain ws:// only on this machine)")
    .option('--name <name>', 'the name to keep this Zoom account under (several accounts in one desk)', 'default')
    .option('--sandbox', 'connect to the Zoom sandbox started with `dsr-desk sandbox` (and to its event subscription)')
    .option('--sandbox-port <port>', 'where that sandbox listens', parsePort, SANDBOX_DEFAULT_PORT)
    .action(
      withCore(async (core, out, options) => {
        const flags = options as GlobalOptions & Record<string, string | boolean | undefined>;
        let input: Record<string, unknown>;
        if (flags.sandbox) {
          input = await sandboxCredentials(Number(flags.sandboxPort));
        } else {
          if (!flags.clientSecretStdin) {
            throw new AppError('USAGE', 'The client secret is read from standard input: add --client-secret-stdin and pipe it in (arguments are visible to other users of this machine).');
          }
          input = {
            account_id: flags.accountId,
            client_id: flags.clientId,
            client_secret: await readSecretFromStdin('Client secret (then Enter): '),
            api_url: flags.apiUrl,
            oauth_url: flags.oauthUrl,
            ...(flags.eventSubscriptionId !== undefined || flags.wsUrl !== undefined ? { event_subscription_id: flags.eventSubscriptionId, ws_url: flags.wsUrl } : {}),
          };
        }
        input.name = flags.name;
        return runOperation(core, out, 'connectZoom', input, (c) => [
          `Connected to Zoom account ${c.account_id} at ${c.api_url}, kept as "${c.name}".`,
          'The credentials are in the OS keychain; nothing was written to disk.',
          ...(c.event_subscription_id ? [`Event subscription ${c.event_subscription_id} at ${c.ws_url}: \`dsr-desk watch\` holds it.`] : []),
        ]);
      }),
    );

  program
    .command('accounts')
    .description('list the connected Zoom accounts (and the disconnected ones whose records the mirror still holds)')
    .action(
      withCore(async (core, out) =>
        runOperation(core, out, 'listAccounts', {}, (list) => [
          ...(list.accounts.length === 0 ? ['No Zoom account is connected: `dsr-desk connect --name NAME …`.'] : []),
          ...list.accounts.map((a) => `${a.name}: Zoom account ${a.account_id} at ${a.api_url}, connected ${a.connected_at}, last synced ${a.last_sync_at ?? 'never'}`),
          ...list.disconnected.map((a) => `${a.name} (disconnected ${a.disconnected_at}): its mirrored records stay until retention removes them`),
        ]),
      ),
    );

  program
    .command('disconnect')
    .description("remove a Zoom account's credentials from the keychain; what the mirror holds from it stays, marked, until retention removes it")
    .requiredOption('--name <name>', 'the account to disconnect (see `dsr-desk accounts`)')
    .action(
      withCore(async (core, out, options) =>
        runOperation(core, out, 'disconnectAccount', { name: (options as { name: string }).name }, (d) => [
          `Disconnected "${d.name}": its credentials are gone from the keychain.`,
          `${d.records_kept} registration${d.records_kept === 1 ? '' : 's'} mirrored from it stay, marked as from a disconnected account, until retention removes them.`,
        ]),
      ),
    );
}
