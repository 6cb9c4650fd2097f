import { InvalidArgumentError, Option, type Command } from 'commander';
import { AppError } from '../../../shared/errors';
import { builtRendererDir } from '../../core/paths';
import { startHttpDoor } from '../http-door';
import { runDemo } from '../demo';
import path from 'node:path';
import { ZOOM_PLANS, type ZoomPlan } from '../../../shared/settings';
import { SANDBOX_DEFAULT_PORT, startZoomSandbox } from '../../core/sandbox/server';
import { SEEDS, type SeedName } from '../../core/sandbox/seed';
import { createOutput, EXIT_OK } from '../output';
import { dataDirOf, parsePort, type CliContext, type GlobalOptions } from './context';
import { openDesk } from '../../core/open-desk';

// The dsr-desk commands for what runs on this machine: the Zoom sandbox, browser mode, the demo: each command's flags, its call and its output together.

export function registerLocalCommands(program: Command, { globals, setExit }: CliContext): void {
  program
    .command('sandbox')
    .description("run the built-in Zoom sandbox (an emulator of Zoom's API) on 127.0.0.1 until stopped")
    .option('--port <port>', 'port to listen on', parsePort, SANDBOX_DEFAULT_PORT)
    .addOption(new Option('--seed <seed>', 'data to start with').choices([...SEEDS]).default('demo'))
    .addOption(new Option('--plan <plan>', 'Zoom plan whose rate limits to enforce').choices([...ZOOM_PLANS]).default('pro'))
    .option('--webinars <n>', 'large seed: how many webinars (1 puts every registrant in one webinar)', parseCount)
    .option('--meetings <n>', 'large seed: how many meetings that take registration, beside the webinars (default 0)', parseCount)
    .option('--registrants <n>', 'large seed: how many registrants in all', parseCount)
    .option('--account-id <id>', "Zoom's account ID to answer as (default sandbox-account); another gives its events other numbers, for a second account beside the first")
    .action(async (...args: unknown[]) => {
      const command = args[args.length - 1] as Command;
      const options = command.optsWithGlobals<GlobalOptions & { port: number; seed: SeedName; plan: ZoomPlan; webinars?: number; meetings?: number; registrants?: number; accountId?: string }>();
      const out = createOutput(Boolean(options.json));
      if ((options.webinars !== undefined || options.meetings !== undefined || options.registrants !== undefined) && options.seed !== 'large') {
        throw new AppError('USAGE', '--webinars, --meetings and --registrants shape the large seed: add --seed large.');
      }
      const box = await startZoomSandbox({
        port: options.port,
        seed: options.seed,
        plan: options.plan,
        webinars: options.webinars,
        meetings: options.meetings,
        registrants: options.registrants,
        accountId: options.accountId,
      }).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'EADDRINUSE') throw new AppError('USAGE', `Port ${options.port} is in use (another sandbox?). Pick another with --port.`);
        throw error;
      });
      const details = { api_url: box.apiUrl, oauth_url: box.oauthUrl, ...box.credentials, ws_url: box.wsUrl, event_subscription_id: box.eventSubscriptionId };
      out.result(details, () => [
        `Zoom sandbox (${options.seed} data, ${options.plan} plan limits) listening on 127.0.0.1:${box.port}`,
        `  api_url:        ${details.api_url}`,
        `  oauth_url:      ${details.oauth_url}`,
        `  account_id:     ${details.account_id}`,
        `  client_id:      ${details.client_id}`,
        `  client_secret:  ${details.client_secret}`,
        `  event socket:   ${details.ws_url} (subscription ${details.event_subscription_id})`,
        '',
        'In another terminal:',
        options.port === SANDBOX_DEFAULT_PORT ? '  npx dsr-desk connect --sandbox' : `  npx dsr-desk connect --sandbox --sandbox-port ${box.port}`,
        '  npx dsr-desk watch      (live changes, as you act on the sandbox)',
        'Press Ctrl+C to stop.',
      ]);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await box.close();
      setExit(EXIT_OK);
    });

  program
    .command('serve')
    .description('browser mode: serve the app on 127.0.0.1 and print its address with a one-time token')
    .option('--port <port>', 'port to listen on (default: any free port)', parsePort, 0)
    .action(async (...args: unknown[]) => {
      const options = globals(args[args.length - 1] as Command) as GlobalOptions & { port: number };
      const out = createOutput(Boolean(options.json));
      // A store whose key this keychain lacks opens locked: the window shows its unlock screen.
      const desk = await openDesk({ dataDir: dataDirOf(options) });
      const door = await startHttpDoor({ dispatch: desk.dispatch, staticDir: builtRendererDir(), port: options.port }).catch(async (error: unknown) => {
        await desk.close();
        throw error;
      });
      out.result({ url: door.url, port: door.port }, () => [
        `DSR Desk is running in browser mode. Open this address (it carries this launch's access token):`,
        `  ${door.url}`,
        'Press Ctrl+C to stop.',
      ]);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await door.close();
      await desk.close();
      setExit(EXIT_OK);
    });

  program
    .command('demo')
    .description('the main job end to end on a fresh demo data directory')
    .action(async (...args: unknown[]) => {
      const options = globals(args[args.length - 1] as Command);
      setExit(await runDemo(createOutput(Boolean(options.json)), options.dataDir ? path.resolve(options.dataDir) : undefined));
    });
}

/** A whole number from 1 to 2,000,000 (the sandbox holds its data in memory). */
function parseCount(value: string): number {
  const n = /^\d{1,7}$/.test(value) ? Number(value) : NaN;
  if (!(n >= 1 && n <= 2_000_000)) throw new InvalidArgumentError('it must be a whole number from 1 to 2000000.');
  return n;
}
