import path from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { AppError } from '../../shared/errors';
import type { OperationName, OperationOutput } from '../../shared/contract';
import { openCore, type Core, type CoreOptions } from '../core/service';
import { CHANGE_DESCRIPTIONS } from '../../shared/changes';
import { describeResidual } from '../../shared/jobs';
import { CHANNELS, RECTIFIABLE_FIELDS, REFUSAL_ARTICLES, REQUEST_ARTICLES, REQUEST_STATUSES, REQUEST_TYPES } from '../../shared/requests';
import os from 'node:os';
import type { Change } from '../../shared/mirror';
import { progressPrinter } from './progress';
import { builtRendererDir, defaultDataDir } from '../core/paths';
import { redact, setLogLevel } from '../core/log';
import { ZOOM_PLANS, type ZoomPlan } from '../../shared/settings';
import { createOutput, EXIT_OK, EXIT_USAGE, type Output } from './output';
import { startHttpDoor } from './http-door';
import { runDemo } from './demo';
import { SANDBOX_DEFAULT_PORT, startZoomSandbox } from '../core/sandbox/server';
import { SEEDS, type SeedName } from '../core/sandbox/seed';

interface GlobalOptions {
  json?: boolean;
  dataDir?: string;
  verbose?: boolean;
}

function dataDirOf(options: GlobalOptions): string {
  return options.dataDir ? path.resolve(options.dataDir) : defaultDataDir();
}

/** Runs one contract operation through the shared parse-then-call path and prints its result. */
async function runOperation<K extends OperationName>(
  core: Core,
  out: Output,
  name: K,
  input: unknown,
  lines: (value: OperationOutput<K>) => string[],
): Promise<number> {
  const result = await core.dispatch(name, input);
  if (!result.ok) return out.failure(result.error);
  const value = result.value as OperationOutput<K>;
  out.result(value, () => lines(value));
  return EXIT_OK;
}

/**
 * Parser for every port flag: a whole number a TCP port can be (0 asks the OS for any free port).
 * Runs while commander reads the arguments, so a bad port is a usage error before anything opens.
 */
function parsePort(value: string): number {
  const port = /^\d{1,5}$/.test(value) ? Number(value) : NaN;
  if (!(port >= 0 && port <= 65535)) throw new InvalidArgumentError('it must be a number from 0 to 65535.');
  return port;
}

/** Reads the secret piped to stdin: up to the first newline, or all of it. */
async function readSecretFromStdin(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('Client secret (then Enter): ');
  let text = '';
  for await (const chunk of process.stdin) {
    text += String(chunk);
    if (text.includes('\n')) break;
  }
  process.stdin.pause();
  return text.split(/\r?\n/)[0]!.trim();
}

/** The credentials a running `dsr-desk sandbox` hands out on its control endpoint. */
async function sandboxCredentials(port: number): Promise<Record<string, unknown>> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/_sandbox/info`, { signal: AbortSignal.timeout(5000) });
    const info = (await response.json()) as Record<string, unknown>;
    return { account_id: info.account_id, client_id: info.client_id, client_secret: info.client_secret, api_url: info.api_url, oauth_url: info.oauth_url };
  } catch {
    throw new AppError('ZOOM_UNAVAILABLE', `No Zoom sandbox is answering on 127.0.0.1:${port}. Start one in another terminal with \`npx dsr-desk sandbox\`, then connect again.`);
  }
}

const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

function buildProgram(setExit: (code: number) => void, json: boolean): Command {
  const program = new Command('dsr-desk')
    .description('DSR Desk: GDPR data-subject requests for Zoom webinars, run from your own machine.')
    .option('--json', 'print exactly one JSON document on stdout (progress goes to stderr)')
    .option('--data-dir <dir>', 'where the encrypted database and exports live (env DSR_DESK_DATA_DIR)')
    .option('--verbose', 'log what happens (redacted) to stderr, and show stack traces')
    .exitOverride()
    .showSuggestionAfterError(true);
  // In JSON mode commander's own usage messages become the contract's error document instead.
  // Set before the subcommands are added: they copy these settings when created.
  if (json) program.configureOutput({ writeErr: () => undefined });

  const globals = (command: Command) => command.optsWithGlobals<GlobalOptions>();

  // Opens the core for a command, runs it, and turns expected failures into exit codes.
  const withCore = (body: (core: Core, out: Output, options: GlobalOptions, args: string[]) => Promise<number>, coreOptions: Partial<CoreOptions> = {}) =>
    async (...args: unknown[]) => {
      const command = args[args.length - 1] as Command;
      const options = globals(command);
      const out = createOutput(Boolean(options.json));
      let core: Core | undefined;
      try {
        core = await openCore({ dataDir: dataDirOf(options), ...coreOptions });
        setExit(await body(core, out, options, command.args));
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        setExit(out.failure({ code: error.code, message: error.message }));
      } finally {
        await core?.close();
      }
    };

  program
    .command('status')
    .description('show the encrypted store: where it is, whether it is encrypted, its schema version')
    .action(
      withCore((core, out) =>
        runOperation(core, out, 'getStoreStatus', {}, (s) => [
          `database:        ${s.path}`,
          `encrypted:       ${s.encrypted ? `yes (${s.cipher})` : 'NO'}`,
          `schema version:  ${s.schema_version} of ${s.latest_schema_version}`,
          `created:         ${s.created_at}`,
        ]),
      ),
    );

  const settings = program.command('settings').description('show or change settings');
  const settingsLines = (s: OperationOutput<'getSettings'>) => [
    `organisation:     ${s.organisation_name ?? '(not set)'}`,
    `DPO email:        ${s.dpo_email ?? '(not set)'}`,
    `Zoom plan:        ${s.zoom_plan}`,
    `retention:        ${s.request_retention_years} years`,
    `address grace:    ${s.erasure_address_grace_days} days (a closed erasure or restriction then keeps only the masked address)`,
    `time zone:        ${s.time_zone ?? `(this computer's: ${Intl.DateTimeFormat().resolvedOptions().timeZone})`}`,
    `holidays:         ${s.holidays.length > 0 ? s.holidays.join(', ') : '(none: weekends only)'}`,
  ];
  settings
    .command('show')
    .description('show the settings')
    .action(withCore((core, out) => runOperation(core, out, 'getSettings', {}, settingsLines)));
  settings
    .command('set')
    .description('change one or more settings')
    .option('--organisation-name <name>', 'the controller, as it appears on evidence')
    .option('--dpo-email <email>', "the DPO's contact address, as it appears on evidence")
    .addOption(new Option('--zoom-plan <plan>', `the Zoom plan, which sets the API rate limits (${ZOOM_PLANS.join(', ')})`))
    .option('--retention-years <n>', 'years a closed request keeps its subject identifiers')
    .option('--erasure-address-grace-days <n>', 'days a closed erasure or restriction request keeps the full address, for the reply (default 30)')
    .option('--time-zone <zone>', "the organisation's IANA time zone for deadline dates, e.g. Europe/Berlin")
    .option('--holidays <dates>', 'public holidays a deadline moves past, comma-separated YYYY-MM-DD (replaces the list; "" clears it)')
    .action(
      withCore((core, out, options) => {
        const flags = options as GlobalOptions & Record<string, string | undefined>;
        const patch: Record<string, unknown> = {};
        if (flags.organisationName !== undefined) patch.organisation_name = flags.organisationName;
        if (flags.dpoEmail !== undefined) patch.dpo_email = flags.dpoEmail;
        if (flags.zoomPlan !== undefined) patch.zoom_plan = flags.zoomPlan;
        if (flags.retentionYears !== undefined) patch.request_retention_years = Number(flags.retentionYears);
        if (flags.erasureAddressGraceDays !== undefined) patch.erasure_address_grace_days = Number(flags.erasureAddressGraceDays);
        if (flags.timeZone !== undefined) patch.time_zone = flags.timeZone;
        if (flags.holidays !== undefined) patch.holidays = flags.holidays.split(',').map((d) => d.trim()).filter(Boolean);
        return runOperation(core, out, 'updateSettings', patch, settingsLines);
      }),
    );

  program
    .command('connect')
    .description('prove Zoom Server-to-Server OAuth credentials (a token and one read call), then keep them in the keychain')
    .option('--account-id <id>', 'the app\'s Account ID')
    .option('--client-id <id>', 'the app\'s Client ID')
    .option('--client-secret-stdin', 'read the Client Secret from standard input (never pass it as an argument)')
    .option('--api-url <url>', 'Zoom API base URL', 'https://api.zoom.us/v2')
    .option('--oauth-url <url>', 'Zoom OAuth base URL', 'https://zoom.us')
    .option('--sandbox', 'connect to the Zoom sandbox started with `dsr-desk sandbox`')
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
            client_secret: await readSecretFromStdin(),
            api_url: flags.apiUrl,
            oauth_url: flags.oauthUrl,
          };
        }
        return runOperation(core, out, 'connectZoom', input, (c) => [
          `Connected to Zoom account ${c.account_id} at ${c.api_url}.`,
          'The credentials are in the OS keychain; nothing was written to disk.',
        ]);
      }),
    );

  program
    .command('sync')
    .description(
      'mirror what Zoom holds (webinars, registrants in every status, attendee reports) into the encrypted store and classify what changed. ' +
        'Incremental by default: upcoming and changed webinars, with a full pass when the last is over 7 days old. Ctrl+C stops cleanly; run again to resume.',
    )
    .option('--webinar <id>', 'sync only this webinar (also one Zoom no longer lists)')
    .option('--full', 'read every webinar the mirror knows, past ones included')
    .action(
      withCore(
        async (core, out, options) => {
          const flags = options as GlobalOptions & { webinar?: string; full?: boolean };
          const cancel = () => {
            process.stderr.write('\nStopping after the current page…\n');
            void core.service.cancelSync({});
          };
          process.once('SIGINT', cancel);
          try {
            const input: Record<string, unknown> = { full: Boolean(flags.full) };
            if (flags.webinar !== undefined) input.webinar_id = flags.webinar;
            return await runOperation(core, out, 'syncZoom', input, (r) => [
              `Synced ${r.webinars} webinar${r.webinars === 1 ? '' : 's'} (${r.mode}${r.resumed ? ', resumed where the last run stopped' : ''}): ` +
                `${r.registrants} registrants listed, ${r.participants} participant records.`,
              `Changes: ${Object.entries(r.changes).map(([kind, n]) => `${n} ${kind}`).join(', ')}.`,
              ...(r.returned_after_erasure > 0 ? [`${r.returned_after_erasure} registration(s) of erased subjects appeared again: stored without personal data, shown on their requests.`] : []),
              ...r.warnings.map((w) => `Warning: webinar ${w.webinar_id}, ${w.source}: ${w.message} [${w.code}]`),
              'See them with `dsr-desk changes`.',
            ]);
          } finally {
            process.removeListener('SIGINT', cancel);
          }
        },
        { onSyncProgress: progressPrinter(process.stderr) },
      ),
    );

  program
    .command('changes')
    .description("each registrant's classified transitions between syncs (registered, approved, denied, host_cancelled, self_cancelled, deleted, …)")
    .option('--since <iso>', 'only changes observed at or after this ISO 8601 date-time')
    .option('--webinar <id>', 'only this webinar')
    .action(
      withCore(async (core, out, options) => {
        const flags = options as GlobalOptions & { since?: string; webinar?: string };
        const input: Record<string, unknown> = {};
        if (flags.since !== undefined) input.since = flags.since;
        if (flags.webinar !== undefined) input.webinar_id = flags.webinar;
        // The contract pages; the command prints them all.
        const changes: Change[] = [];
        for (let afterId = 0; ; ) {
          const page = await core.dispatch('listChanges', { ...input, after_id: afterId, limit: 5000 });
          if (!page.ok) return out.failure(page.error);
          const value = page.value as OperationOutput<'listChanges'>;
          changes.push(...value.changes);
          if (value.next_after_id === null) break;
          afterId = value.next_after_id;
        }
        out.result({ changes }, () =>
          changes.length === 0
            ? ['No changes recorded (yet): run `dsr-desk sync`.']
            : changes.map((c) => `${c.observed_at}  webinar ${c.webinar_id}  registrant ${c.registrant_id}  ${c.kind} (${c.from ?? '-'} -> ${c.to ?? '-'}): ${CHANGE_DESCRIPTIONS[c.kind]}`),
        );
        return EXIT_OK;
      }),
    );

  program
    .command('find')
    .description('every record the mirror holds of one email address: registrations, attendance, Q&A, polls, survey answers, panelist entries')
    .requiredOption('--email <address>', 'the whole address; matched trimmed and case-insensitively, never as a substring')
    .action(
      withCore((core, out, options) =>
        runOperation(core, out, 'findSubject', { email: (options as { email: string }).email }, (r) => [
          ...(r.suppressed ? ['This address is on the suppression list (erased by a request): rows of it are kept without personal data.'] : []),
          r.matches.length === 0
            ? 'No record of this address in the mirror.'
            : `${r.matches.length} record${r.matches.length === 1 ? '' : 's'}:`,
          ...r.matches.map(
            (m) =>
              `  ${m.source.padEnd(10)} webinar ${m.webinar_id}${m.registrant_id ? `  registrant ${m.registrant_id}` : ''}${m.status ? `  ${m.status}` : ''}${m.present ? '' : '  (no longer listed by Zoom)'}`,
          ),
        ]),
      ),
    );

  program
    .command('webinars')
    .description('the webinars in the mirror with their registrants by status and their attendee records')
    .action(
      withCore((core, out) =>
        runOperation(core, out, 'listWebinars', {}, (r) =>
          r.webinars.length === 0
            ? ['The mirror holds no webinars yet: run `dsr-desk sync`.']
            : r.webinars.map(
                (w) =>
                  `${w.id}  ${w.topic ?? ''}${w.deleted ? ' (deleted on Zoom)' : ''}\n` +
                  `    registrants: ${w.registrants.approved} approved, ${w.registrants.pending} pending, ${w.registrants.denied} denied, ${w.registrants.gone} no longer listed\n` +
                  `    records: ${w.records.participants} participants, ${w.records.absentees} absentees, ${w.records.qa} Q&A, ${w.records.polls} poll answers, ${w.records.survey} survey answers, ${w.records.panelists} panelists` +
                  (w.suppressed_rows > 0 ? `\n    ${w.suppressed_rows} rows of erased subjects that Zoom still holds` : ''),
              ),
        ),
      ),
    );

  const request = program.command('request').description('the register of data-subject requests (GDPR Art 15-21) with their deadlines');
  const requestLines = (r: OperationOutput<'getRequest'>) => [
    `${r.id}  ${r.type} (${REQUEST_ARTICLES[r.type]})  ${r.status}${r.extended ? ', extended' : ''}`,
    `  subject:   ${r.subject_email ?? '(purged after the retention period)'}`,
    `  received:  ${r.received_at} by ${r.channel}`,
    `  due:       ${r.due_at} (${r.overdue ? `OVERDUE by ${-r.days_left} days` : `${r.days_left} days left`})`,
    ...(r.hold ? [`  on hold:   ${r.hold.reason}`] : []),
    '  timeline:',
    ...r.timeline.map((e) => `    ${e.at}  ${e.action}${e.to && e.to !== e.from ? ` -> ${e.to}` : ''}  by ${e.by}${e.reason ? `: ${e.reason}` : ''}`),
  ];
  const byOption = '--by <name>';
  request
    .command('create')
    .description('file a request as received; its due date follows Art 12(3) (one month, as the ICO counts it)')
    .requiredOption('--type <type>', `one of ${REQUEST_TYPES.join(', ')}`)
    .requiredOption('--email <address>', "the data subject's email address")
    .option('--received-at <iso>', 'when the request reached you (default: now)')
    .option('--channel <channel>', `how it came: ${CHANNELS.join(', ')}`, 'email')
    .option('--note <text>', 'a note for the file')
    .option(byOption, 'who files it (default: your user name)')
    .action(
      withCore((core, out, options) => {
        const f = options as GlobalOptions & Record<string, string | undefined>;
        const input: Record<string, unknown> = { type: f.type, email: f.email, channel: f.channel, by: f.by ?? os.userInfo().username };
        if (f.receivedAt !== undefined) input.received_at = f.receivedAt;
        if (f.note !== undefined) input.note = f.note;
        return runOperation(core, out, 'createRequest', input, (r) => [`Filed ${r.id} (${r.type}), received ${r.received_at}, due ${r.due_at} (${r.days_left} days left).`]);
      }),
    );
  request
    .command('list')
    .description('requests by due date, with days left')
    .option('--status <status>', `only this status (${REQUEST_STATUSES.join(', ')})`)
    .action(
      withCore((core, out, options) => {
        const status = (options as { status?: string }).status;
        return runOperation(core, out, 'listRequests', status ? { status } : {}, (r) =>
          r.requests.length === 0
            ? ['No requests.']
            : r.requests.map((q) => `${q.id}  ${q.type.padEnd(13)} ${q.status.padEnd(17)} due ${q.due_at.slice(0, 10)}  ${q.overdue ? `OVERDUE (${-q.days_left} days)` : `${q.days_left} days left`}${q.extended ? ' (extended)' : ''}`),
        );
      }),
    );
  request
    .command('show <id>')
    .description('one request with its timeline: every change, who, when, why')
    .action(withCore((core, out, _options, args) => runOperation(core, out, 'getRequest', { id: args[0] }, requestLines)));
  const decision = (name: string, operation: 'verifyIdentity' | 'approveRequest' | 'refuseRequest' | 'extendRequest' | 'holdRequest' | 'resumeRequest', description: string, flags: [string, string, string][]) => {
    const command = request.command(`${name} <id>`).description(description).requiredOption(byOption, 'who decides (recorded on the request and in the audit log)');
    for (const [flag, , help] of flags) command.option(flag, help);
    command.action(
      withCore((core, out, options, args) => {
        const f = options as GlobalOptions & Record<string, unknown>;
        const input: Record<string, unknown> = { id: args[0], by: f.by };
        for (const [, key] of flags) if (f[key] !== undefined) input[snake(key)] = key === 'months' ? Number(f[key]) : f[key];
        return runOperation(core, out, operation, input, requestLines);
      }),
    );
  };
  decision('verify-identity', 'verifyIdentity', "record how the subject's identity was checked (no copy of any document is kept)", [['--method <text>', 'method', 'how it was checked']]);
  decision('approve', 'approveRequest', 'approve a request whose identity is verified', [['--note <text>', 'note', 'a note on the decision']]);
  decision('refuse', 'refuseRequest', 'refuse a request, with the reason and the article relied on', [
    ['--reason <text>', 'reason', 'why (told to the subject, Art 12(4))'],
    ['--article <article>', 'article', `the ground: ${REFUSAL_ARTICLES.join(', ')}`],
  ]);
  decision('extend', 'extendRequest', 'extend the deadline once (Art 12(3)), before it passes, after telling the subject', [
    ['--reason <text>', 'reason', 'why more time is needed'],
    ['--notified-at <iso>', 'notifiedAt', 'when the subject was told'],
    ['--months <n>', 'months', 'further months, 1 or 2 (default 2)'],
  ]);
  decision('hold', 'holdRequest', 'put a request on hold, with the reason', [['--reason <text>', 'reason', 'why it waits']]);
  decision('resume', 'resumeRequest', 'take a request off hold', []);
  request
    .command('rectify <id>')
    .description("correct the subject's data in the mirror (Art 16); Zoom can't edit a registrant, see the job's note")
    .requiredOption(byOption, 'who corrects it')
    .option('--set <field=value...>', `fields to correct: ${RECTIFIABLE_FIELDS.join(', ')} (an empty value clears it)`)
    .action(
      withCore((core, out, options, args) => {
        const f = options as GlobalOptions & { by: string; set?: string[] };
        const fields = Object.fromEntries((f.set ?? []).map((pair) => {
          const at = pair.indexOf('=');
          if (at < 1) throw new AppError('USAGE', `--set ${pair}: write field=value, e.g. --set last_name=Beispiel`);
          const value = pair.slice(at + 1);
          return [pair.slice(0, at), value === '' ? null : value];
        }));
        return runOperation(core, out, 'rectifyRequest', { id: args[0], by: f.by, fields }, requestLines);
      }),
    );

  const job = program.command('job').description("a request's job: erasure (anonymize, cancel, delete, verify), restriction, access");
  job
    .command('plan <id>')
    .description('show exactly what the job will do (or, once started, what its journal holds) before anything happens')
    .action(
      withCore((core, out, _options, args) =>
        runOperation(core, out, 'planJob', { id: args[0] }, (p) => [
          `Job of ${p.request_id}: ${p.steps.length} steps`,
          ...p.steps.map((s) => `  webinar ${s.webinar_id}  ${s.source}${s.registrant_id ? ` ${s.registrant_id}` : ''}${s.occurrence_id ? ` (occurrence ${s.occurrence_id})` : ''}: ${s.actions.join(', ') || 'nothing on Zoom'}`),
          ...(p.residual.length > 0 ? ["Zoom's API can't erase these; a processor request to Zoom is prepared:", ...p.residual.map((r) => `  ${describeResidual(r)}`)] : []),
          ...p.notes,
        ]),
      ),
    );
  job
    .command('run <id>')
    .description('run (or resume) the job of an approved request; Ctrl+C stops after the current action')
    .action(
      withCore(
        async (core, out, _options, args) => {
          const cancel = () => {
            process.stderr.write('\nStopping after the current action…\n');
            void core.service.cancelJob({});
          };
          process.once('SIGINT', cancel);
          try {
            return await runOperation(core, out, 'runJob', { id: args[0] }, (r) => [
              r.already_completed ? `${r.request_id} was already completed; nothing was done again.` : `Job of ${r.request_id}: ${r.status}${r.resume_at ? `; Zoom's daily limit stopped it, run it again after ${r.resume_at}` : ''}.`,
              ...r.steps.map(
                (s) =>
                  `  webinar ${s.webinar_id} ${s.source}${s.registrant_id ? ` ${s.registrant_id}` : ''}: ` +
                  s.actions.map((a) => `${a.action} ${a.result}${a.http_status ? ` (HTTP ${a.http_status}${a.zoom_code ? `, Zoom ${a.zoom_code}` : ''})` : ''}`).join(', ') +
                  (s.source === 'registrant' ? (s.verified ? '  VERIFIED' : s.handed_to_processor ? '  Zoom refused: named in the processor request' : '  not verified') : ''),
              ),
              ...(r.residual.length > 0 ? ['Left with Zoom (its API cannot erase them):', ...r.residual.map((x) => `  ${describeResidual(x)}`)] : []),
              ...(r.processor_task ? [`Processor request to Zoom (task ${r.processor_task.id}, ${r.processor_task.status}):`, ...r.processor_task.letter.split('\n').map((l) => `  | ${l}`)] : []),
              ...r.notes,
            ]);
          } finally {
            process.removeListener('SIGINT', cancel);
          }
        },
        // A job planned from a mirror older than its request syncs first: that progress shows too.
        { onJobProgress: (p) => process.stderr.write(`job ${p.request_id}: ${p.done} of ${p.total} actions done\n`), onSyncProgress: progressPrinter(process.stderr) },
      ),
    );

  job
    .command('processor-request <id>')
    .description("track the request to Zoom about what its API can't erase: sent, answered, closed")
    .requiredOption('--status <status>', 'sent, answered or closed')
    .requiredOption(byOption, 'who records it')
    .option('--note <text>', "e.g. Zoom's reference or answer")
    .action(
      withCore((core, out, options, args) => {
        const f = options as GlobalOptions & { status: string; by: string; note?: string };
        return runOperation(core, out, 'updateProcessorTask', { id: args[0], status: f.status, by: f.by, ...(f.note ? { note: f.note } : {}) }, (t) => [
          `Processor request ${t.id} of ${t.request_id} to ${t.processor}: ${t.status}.`,
        ]);
      }),
    );

  const audit = program.command('audit').description('the tamper-evident audit log');
  audit
    .command('verify')
    .description('walk the hash chain, hold it against its anchor in the keychain, and report the first entry that does not hold')
    .action(
      withCore((core, out) =>
        runOperation(core, out, 'verifyAudit', {}, (r) => [
          r.ok ? `Audit log intact: ${r.entries} entries, head ${r.head}.` : `Audit log BROKEN at entry ${r.first_bad} (of ${r.entries} read).`,
          r.message,
        ]),
      ),
    );
  audit
    .command('export')
    .description('write every entry with its hash, one JSON object a line, to recompute the chain with any SHA-256 tool (README: the audit chain)')
    .requiredOption('--out <file>', 'where to write it (.jsonl)')
    .option('--force', 'replace the file if it exists')
    .action(
      withCore(async (core, out, options) => {
        const f = options as GlobalOptions & { out: string; force?: boolean };
        const written = await core.exportAudit(f.out, Boolean(f.force));
        out.result(written, () => [`Wrote ${written.entries} audit entries to ${written.path}; head ${written.head}.`]);
        return EXIT_OK;
      }),
    );

  program
    .command('sandbox')
    .description('run the built-in Zoom sandbox (an emulator of Zoom\'s API) on 127.0.0.1 until stopped')
    .option('--port <port>', 'port to listen on', parsePort, SANDBOX_DEFAULT_PORT)
    .addOption(new Option('--seed <seed>', 'data to start with').choices([...SEEDS]).default('demo'))
    .addOption(new Option('--plan <plan>', 'Zoom plan whose rate limits to enforce').choices([...ZOOM_PLANS]).default('pro'))
    .action(async (...args: unknown[]) => {
      const command = args[args.length - 1] as Command;
      const options = command.optsWithGlobals<GlobalOptions & { port: number; seed: SeedName; plan: ZoomPlan }>();
      const out = createOutput(Boolean(options.json));
      const box = await startZoomSandbox({ port: options.port, seed: options.seed, plan: options.plan }).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'EADDRINUSE') throw new AppError('USAGE', `Port ${options.port} is in use (another sandbox?). Pick another with --port.`);
        throw error;
      });
      const details = { api_url: box.apiUrl, oauth_url: box.oauthUrl, ...box.credentials };
      out.result(details, () => [
        `Zoom sandbox (${options.seed} data, ${options.plan} plan limits) listening on 127.0.0.1:${box.port}`,
        `  api_url:        ${details.api_url}`,
        `  oauth_url:      ${details.oauth_url}`,
        `  account_id:     ${details.account_id}`,
        `  client_id:      ${details.client_id}`,
        `  client_secret:  ${details.client_secret}`,
        '',
        'In another terminal:',
        options.port === SANDBOX_DEFAULT_PORT ? '  npx dsr-desk connect --sandbox' : `  npx dsr-desk connect --sandbox --sandbox-port ${box.port}`,
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
    .action(
      withCore(async (core, out, options) => {
        const door = await startHttpDoor({ dispatch: core.dispatch, staticDir: builtRendererDir(), port: (options as { port: number }).port });
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
        return EXIT_OK;
      }),
    );

  program
    .command('demo')
    .description('the main job end to end on a fresh demo data directory')
    .action(async (...args: unknown[]) => {
      const options = globals(args[args.length - 1] as Command);
      setExit(await runDemo(createOutput(Boolean(options.json)), options.dataDir ? path.resolve(options.dataDir) : undefined));
    });

  return program;
}

export async function main(argv: string[]): Promise<number> {
  let exitCode = EXIT_OK;
  const json = argv.includes('--json');
  const verbose = argv.includes('--verbose');
  if (verbose) setLogLevel('debug');
  const out = createOutput(json);
  const program = buildProgram((code) => (exitCode = code), json);
  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return EXIT_OK; // --help, --version
      if (json) out.failure({ code: 'USAGE', message: error.message.replace(/^error: /, '') });
      return EXIT_USAGE;
    }
    if (error instanceof AppError) return out.failure({ code: error.code, message: error.message });
    process.stderr.write(
      verbose && error instanceof Error
        ? `${redact(error.stack ?? error.message)}\n`
        : 'dsr-desk: an unexpected error stopped the command. Run again with --verbose for details.\n',
    );
    return 1;
  }
}
