import type { Command } from 'commander';
import type { OperationOutput } from '../../../shared/contract';
import { CHANGE_DESCRIPTIONS } from '../../../shared/changes';
import { counted } from '../../../shared/jobs';
import type { Change } from '../../../shared/mirror';
import type { SocketState } from '../../core/live/event-socket';
import { progressPrinter } from '../progress';
import { EXIT_OK } from '../output';
import { runOperation, type CliContext, type GlobalOptions } from './context';

// The dsr-desk commands for the mirror: sync, changes, find, webinars, meetings: each command's flags, its call and its output together.

/**
 * A watch's page cache. An event touches a few pages, and the cache fills as the mirror grows until
 * it is full: at 2 MiB a watch's memory levels off within two minutes (at 8 MiB it still rose
 * ~1 MiB a minute after six: npm run bench).
 */
const WATCH_CACHE_KIB = 2 * 1024;

const WATCH_STATES: Record<SocketState, string> = {
  connecting: 'connecting…',
  live: 'connected; changes are applied as Zoom sends them.',
  reconnecting: 'connection lost; reconnecting (what happens meanwhile is read by a sync afterwards)…',
  stopped: 'stopped.',
  failed: 'Zoom refused the credentials.',
};

export function registerMirrorCommands(program: Command, { withCore }: CliContext): void {
  program
    .command('sync')
    .description(
      'mirror what Zoom holds (webinars, registrants in every status, attendee reports) into the encrypted store and classify what changed. ' +
        'Incremental by default: upcoming and changed webinars, with a full pass when the last is over 7 days old. Ctrl+C stops cleanly; run again to resume.',
    )
    .option('--webinar <id>', 'sync only this webinar (also one Zoom no longer lists)')
    .option('--full', 'read every webinar the mirror knows, past ones included')
    .option('--account <name>', 'sync only this connected Zoom account (default: every one, side by side)')
    .action(
      withCore(
        async (core, out, options) => {
          const flags = options as GlobalOptions & { webinar?: string; full?: boolean; account?: string };
          const cancel = () => {
            process.stderr.write('\nStopping after the current page…\n');
            void core.service.cancelSync({});
          };
          process.once('SIGINT', cancel);
          try {
            const input: Record<string, unknown> = { full: Boolean(flags.full) };
            if (flags.webinar !== undefined) input.webinar_id = flags.webinar;
            if (flags.account !== undefined) input.account = flags.account;
            return await runOperation(core, out, 'syncZoom', input, (r) => [
              ...(r.accounts.length > 1
                ? r.accounts.map(
                    (a) => `Account "${a.account}": ${counted(a.webinars, ['webinar', 'webinars'])}, ${counted(a.meetings, ['meeting', 'meetings'])}, ${a.registrants} registrants (${a.mode}).`,
                  )
                : []),
              `Synced ${r.webinars} webinar${r.webinars === 1 ? '' : 's'} and ${r.meetings} meeting${r.meetings === 1 ? '' : 's'} (${r.mode}${r.resumed ? ', resumed where the last run stopped' : ''}): ` +
                `${r.registrants} registrants listed, ${r.participants} participant records.`,
              `Changes: ${Object.entries(r.changes)
                .map(([kind, n]) => `${n} ${kind}`)
                .join(', ')}.`,
              ...(r.kept_by_events > 0
                ? [
                    `${r.kept_by_events} upcoming webinar${r.kept_by_events === 1 ? ' was' : 's were'} not read again: the event subscription, heard without a gap since they were last read, brought no change for them.`,
                  ]
                : []),
              ...(r.returned_after_erasure > 0
                ? [`${counted(r.returned_after_erasure, ['registration', 'registrations'])} of erased subjects appeared again: stored without personal data, shown on their requests.`]
                : []),
              ...r.warnings.map((w) => `Warning: ${w.event_type} ${w.event_id}, ${w.source}: ${w.message} [${w.code}]`),
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
    .command('watch')
    .description(
      "hold the Zoom app's WebSocket event subscription (set with connect --event-subscription-id) until Ctrl+C: registrations created, approved, " +
        'denied and cancelled, and webinars deleted, go into the mirror as they happen; an incremental sync reconciles after every (re)connection',
    )
    .action(
      withCore(async (core, out) => {
        // A watch runs for days and each event touches a few pages: a small page cache keeps its memory small.
        core.store.db.pragma(`cache_size = -${WATCH_CACHE_KIB}`);
        const watching = core.watchEvents({
          onChange: (change) =>
            process.stdout.write(
              out.json
                ? JSON.stringify(change) + '\n'
                : `${change.observed_at}  ${change.kind.padEnd(19)} ${change.event_type} ${change.event_id}, registrant ${change.registrant_id} (${change.via === 'event' ? 'observed live' : 'reconciled by a sync'})\n`,
            ),
          onNote: (note) =>
            process.stderr.write(
              note.kind === 'reconciled'
                ? `Reconciled with sync run ${note.run_id}: ${note.changes} change${note.changes === 1 ? '' : 's'} Zoom sent no event for (or none this app heard).\n`
                : `Event subscription: ${WATCH_STATES[note.state]}\n`,
            ),
        });
        // The backup schedule runs while watch does (settings: backup folder and interval).
        const schedule = core.startBackupSchedule();
        const stop = () => watching.stop();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        process.stderr.write('Watching Zoom events; Ctrl+C stops.\n');
        try {
          await watching.done;
        } finally {
          await schedule.stop();
          process.removeListener('SIGINT', stop);
          process.removeListener('SIGTERM', stop);
        }
        return EXIT_OK;
      }),
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
        for (let afterId = 0; ;) {
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
            : changes.map((c) => `${c.observed_at}  ${c.event_type} ${c.event_id}  registrant ${c.registrant_id}  ${c.kind} (${c.from ?? '-'} -> ${c.to ?? '-'}): ${CHANGE_DESCRIPTIONS[c.kind]}`),
        );
        return EXIT_OK;
      }),
    );

  program
    .command('find')
    .description("every record the mirror holds of a person's addresses: registrations, attendance, Q&A, polls, survey answers, panelist entries")
    .requiredOption(
      '--email <address>',
      'the whole address; matched trimmed and case-insensitively, never as a substring; repeat it for each address of the person',
      (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
    )
    .action(
      withCore((core, out, options) => {
        const emails = (options as { email: string[] }).email;
        return runOperation(core, out, 'findSubject', emails.length === 1 ? { email: emails[0] } : { emails }, (r) => [
          ...r.addresses.filter((a) => a.suppressed).map((a) => `${a.email} is on the suppression list (erased by a request): rows of it are kept without personal data.`),
          r.matches.length === 0 ? `No record of ${emails.length === 1 ? 'this address' : 'these addresses'} in the mirror.` : `${r.matches.length} record${r.matches.length === 1 ? '' : 's'}:`,
          ...r.matches.map(
            (m) =>
              `  ${m.source.padEnd(10)} ${m.event_type} ${m.event_id}${m.registrant_id ? `  registrant ${m.registrant_id}` : ''}${m.status ? `  ${m.status}` : ''}${m.present ? '' : '  (no longer listed by Zoom)'}${emails.length > 1 ? `  <${m.email}>` : ''}`,
          ),
        ]);
      }),
    );

  // One listing for both kinds: meetings show the same counts (they have no absentees or panelists).
  const eventLines = (
    events: {
      id: string;
      topic: string | null;
      deleted: boolean;
      account: string;
      account_disconnected: boolean;
      registrants: Record<'approved' | 'pending' | 'denied' | 'gone', number>;
      records: Record<'participants' | 'absentees' | 'qa' | 'polls' | 'survey' | 'panelists', number>;
      suppressed_rows: number;
    }[],
    kind: 'webinar' | 'meeting',
  ) =>
    events.length === 0
      ? [`The mirror holds no ${kind}s yet: run \`dsr-desk sync\`.`]
      : events.map(
          (w) =>
            `${w.id}  ${w.topic ?? ''}${w.deleted ? ' (deleted on Zoom)' : ''}  [Zoom account ${w.account}${w.account_disconnected ? ', disconnected' : ''}]\n` +
            `    registrants: ${w.registrants.approved} approved, ${w.registrants.pending} pending, ${w.registrants.denied} denied, ${w.registrants.gone} no longer listed\n` +
            `    records: ${w.records.participants} participants, ${kind === 'webinar' ? `${w.records.absentees} absentees, ` : ''}${w.records.qa} Q&A, ${w.records.polls} poll answers, ${w.records.survey} survey answers${kind === 'webinar' ? `, ${w.records.panelists} panelists` : ''}` +
            (w.suppressed_rows > 0 ? `\n    ${w.suppressed_rows} ${w.suppressed_rows === 1 ? 'row' : 'rows'} of erased subjects that Zoom still holds` : ''),
        );

  program
    .command('webinars')
    .description('the webinars in the mirror with their registrants by status and their attendee records')
    .option('--account <name>', "only this Zoom account's")
    .action(withCore((core, out, options) => runOperation(core, out, 'listWebinars', accountFilter(options), (r) => eventLines(r.webinars, 'webinar'))));

  program
    .command('meetings')
    .description('the meetings that take registration in the mirror, with their registrants by status and their attendee records')
    .option('--account <name>', "only this Zoom account's")
    .action(withCore((core, out, options) => runOperation(core, out, 'listMeetings', accountFilter(options), (r) => eventLines(r.meetings, 'meeting'))));
}

/** `--account NAME` as a mirror list's filter (every account's when left out). */
function accountFilter(options: unknown): { account?: string } {
  const { account } = options as { account?: string };
  return account === undefined ? {} : { account };
}
