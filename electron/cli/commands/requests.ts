import { Option, type Command } from 'commander';
import { AppError } from '../../../shared/errors';
import type { OperationOutput } from '../../../shared/contract';
import { IDENTITY_CHECK_ACTIONS, identityChecksIn, identityMethodIn } from '../../../shared/legal-words';
import {
  CHANNELS,
  ERASURE_GROUNDS,
  IDENTITY_METHODS,
  RECTIFIABLE_FIELDS,
  REFUSAL_ARTICLES,
  REPLY_CHANNELS,
  REPLY_DOCUMENTS,
  REQUEST_ARTICLES,
  REQUEST_STATUSES,
  REQUEST_TYPES,
} from '../../../shared/requests';
import { runOperation, BY_HELP, BY_OPTION, byOf, type CliContext, type GlobalOptions } from './context';

// The dsr-desk commands for the request register: each command's flags, its call and its output together.

const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
/** A repeatable option: `--email a --email b` gives ['a', 'b']. */
const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];

export function registerRequestsCommands(program: Command, { withCore }: CliContext): void {
  const request = program.command('request').description('the register of data-subject requests (GDPR Art 15-21) with their deadlines');
  const requestLines = (r: OperationOutput<'getRequest'>) => [
    `${r.id}  ${r.type} (${REQUEST_ARTICLES[r.type]})  ${r.status}${r.extended ? ', extended' : ''}`,
    `  subject:   ${r.subject_email ?? `${r.subject_masked} (the full address was purged ${r.address_purged_at?.slice(0, 10) ?? ''})`}`,
    ...(r.addresses.length > 1
      ? r.addresses.map(
          (a, i) =>
            `  address ${i + 1}: ${a.email ?? a.masked}${a.via === 'filed' ? '' : ` (${a.via === 'suggestion' ? 'a name match, accepted' : 'added'} by ${a.added_by})`}  identity: ${a.identity ? `${identityMethodIn('en', a.identity.method)} (${a.identity.by}, ${a.identity.at})` : 'not checked yet'}`,
        )
      : []),
    `  received:  ${r.received_at} by ${r.channel}`,
    `  due:       ${r.due_at} (${r.overdue ? `OVERDUE by ${-r.days_left} days` : `${r.days_left} days left`})`,
    ...(r.identity ? [`  identity:  ${identityMethodIn('en', r.identity.method)} (${r.identity.by}, ${r.identity.at})`] : []),
    ...(r.decision
      ? [
          `  decision:  ${r.decision.outcome} (${r.decision.by}, ${r.decision.at})${r.decision.article ? `, Art ${r.decision.article}` : ''}${r.decision.ground ? `, ground Art ${r.decision.ground}` : ''}${r.decision.exceptions_checked ? ', no Art 17(3) exception applies' : ''}`,
        ]
      : []),
    ...(r.hold ? [`  on hold:   ${r.hold.reason}`] : []),
    ...(r.processor
      ? [
          `  Zoom:      processor request ${r.processor.status}${r.processor.sent_at ? `, sent ${r.processor.sent_at}, answer due ${r.processor.due_at}` : ''}${r.processor.outcome ? `, answered ${r.processor.answered_at}: ${r.processor.outcome}` : ''}`,
        ]
      : []),
    ...r.notes.map((n) => `  note:      ${n.text} (${n.by}, ${n.at})`),
    ...r.replies.map((x) => `  reply:     ${x.document} sent ${x.sent_at} by ${x.channel} (${x.by})`),
    '  timeline:',
    ...r.timeline.map(
      (e) =>
        `    ${e.at}  ${e.action}${e.to && e.to !== e.from ? ` -> ${e.to}` : ''}  by ${e.by}${e.reason ? `: ${IDENTITY_CHECK_ACTIONS.includes(e.action) ? identityChecksIn(e.reason, (m) => identityMethodIn('en', m)) : e.reason}` : ''}`,
    ),
  ];
  request
    .command('create')
    .description('file a request as received; its due date follows Art 12(3) (one month, as the ICO counts it)')
    .requiredOption('--type <type>', `one of ${REQUEST_TYPES.join(', ')}`)
    .requiredOption('--email <address>', "the data subject's email address; repeat it for each address the same person used", collect)
    .option('--received-at <iso>', 'when the request reached you (default: now)')
    .option('--channel <channel>', `how it came: ${CHANNELS.join(', ')}`, 'email')
    .option('--note <text>', 'a note for the file')
    .option('--lang <lang>', "the language of replies to this subject: en or de (default: the settings' language)")
    .option(BY_OPTION, BY_HELP)
    .action(
      withCore((core, out, options) => {
        const f = options as GlobalOptions & Record<string, string | undefined> & { email: string[] };
        const input: Record<string, unknown> = { type: f.type, ...(f.email.length === 1 ? { email: f.email[0] } : { emails: f.email }), channel: f.channel, ...byOf(f) };
        if (f.receivedAt !== undefined) input.received_at = f.receivedAt;
        if (f.note !== undefined) input.note = f.note;
        if (f.lang !== undefined) input.language = f.lang;
        return runOperation(core, out, 'createRequest', input, (r) => [
          `Filed ${r.id} (${r.type}), received ${r.received_at}, due ${r.due_at} (${r.days_left} days left).`,
          ...(r.emails.length > 1 ? [`  for one person with ${r.emails.length} addresses: ${r.emails.join(', ')}`] : []),
        ]);
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
            : r.requests.map(
                (q) =>
                  `${q.id}  ${q.type.padEnd(13)} ${q.status.padEnd(17)} due ${q.due_at.slice(0, 10)}  ${q.overdue ? `OVERDUE (${-q.days_left} days)` : `${q.days_left} days left`}${q.extended ? ' (extended)' : ''}`,
              ),
        );
      }),
    );
  request
    .command('show <id>')
    .description('one request with its timeline: every change, who, when, why')
    .action(withCore((core, out, _options, args) => runOperation(core, out, 'getRequest', { id: args[0] }, requestLines)));
  const decision = (
    name: string,
    operation: 'verifyIdentity' | 'approveRequest' | 'refuseRequest' | 'extendRequest' | 'holdRequest' | 'resumeRequest',
    description: string,
    flags: [string, string, string][],
  ) => {
    const command = request.command(`${name} <id>`).description(description).option(BY_OPTION, BY_HELP);
    for (const [flag, , help] of flags) command.option(flag, help);
    command.action(
      withCore((core, out, options, args) => {
        const f = options as GlobalOptions & Record<string, unknown>;
        const input: Record<string, unknown> = { id: args[0], ...byOf(f) };
        for (const [, key] of flags) if (f[key] !== undefined) input[snake(key)] = key === 'months' ? Number(f[key]) : f[key];
        return runOperation(core, out, operation, input, requestLines);
      }),
    );
  };
  decision('verify-identity', 'verifyIdentity', "record how the subject's identity was checked (no copy of any document is kept); the request is verified once every address is", [
    ['--method <text>', 'method', `how it was checked: ${IDENTITY_METHODS.join(', ')}, or say it in words`],
    ['--email <address>', 'email', 'the address this check is for (default: every address not yet checked)'],
  ]);
  request
    .command('add-address <id>')
    .description('another address the same person used, before the job runs; it needs its own identity check (a verified or approved request goes back to received)')
    .requiredOption('--email <address>', 'the address')
    .option(BY_OPTION, BY_HELP)
    .action(withCore((core, out, options, args) => runOperation(core, out, 'addRequestAddress', { id: args[0], email: (options as { email: string }).email, ...byOf(options) }, requestLines)));
  const suggestionLines = (r: OperationOutput<'listSuggestions'>) =>
    r.suggestions.length === 0
      ? [`No other address in the mirror carries a name the subject registered with under the addresses of ${r.request_id}.`]
      : [
          `Possibly the same person (a name match only: nothing is erased on it; accept to add the address, dismiss if not):`,
          ...r.suggestions.map(
            (s) =>
              `  ${s.state.padEnd(9)} ${s.email}${s.name ? `  "${s.name}"` : ''}${s.sources ? `  ${s.sources} registration${s.sources === 1 ? '' : 's'} in ${s.events.map((e) => `${e.event_type} ${e.event_id}`).join(', ')}` : ''}${s.decided_by ? `  (${s.decided_by}, ${s.decided_at})` : ''}`,
          ),
        ];
  request
    .command('suggestions <id>')
    .description("addresses under which the subject's name was registered: possibly the same person, for the DPO to accept or dismiss")
    .action(withCore((core, out, _options, args) => runOperation(core, out, 'listSuggestions', { id: args[0] }, suggestionLines)));
  request
    .command('suggestion <id>')
    .description('accept a suggested address (it joins the request, as add-address does) or dismiss it (never offered again)')
    .requiredOption('--email <address>', 'the suggested address')
    .option('--accept', 'it is the same person: add the address')
    .option('--dismiss', 'it is not: do not offer it again')
    .option(BY_OPTION, BY_HELP)
    .action(
      withCore((core, out, options, args) => {
        const f = options as { email: string; accept?: boolean; dismiss?: boolean };
        if (Boolean(f.accept) === Boolean(f.dismiss)) throw new AppError('USAGE', 'give either --accept or --dismiss');
        return runOperation(core, out, 'decideSuggestion', { id: args[0], email: f.email, decision: f.accept ? 'accept' : 'dismiss', ...byOf(options) }, suggestionLines);
      }),
    );
  decision('approve', 'approveRequest', 'approve a request whose identity is verified', [
    ['--note <text>', 'note', 'a note on the decision'],
    ['--ground <article>', 'ground', `an erasure's Art 17(1) ground: ${ERASURE_GROUNDS.join(', ')}`],
    ['--exceptions-checked', 'exceptionsChecked', 'an erasure: none of the Art 17(3) exceptions applies (checked)'],
  ]);
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
    .command('note <id>')
    .description("add a note to the request's file (its timeline; the audit log records that a note was added, not its text)")
    .requiredOption('--text <text>', 'the note, on one line')
    .option(BY_OPTION, BY_HELP)
    .action(withCore((core, out, options, args) => runOperation(core, out, 'addRequestNote', { id: args[0], text: (options as { text: string }).text, ...byOf(options) }, requestLines)));
  request
    .command('sent <id>')
    .description('record that a reply went to the data subject: which document, when, how')
    .addOption(new Option('--document <document>', 'what went out').choices([...REPLY_DOCUMENTS]).makeOptionMandatory())
    .requiredOption('--at <iso>', 'when it went out')
    .addOption(new Option('--channel <channel>', 'how it went out').choices([...REPLY_CHANNELS]).makeOptionMandatory())
    .option(BY_OPTION, BY_HELP)
    .action(
      withCore((core, out, options, args) => {
        const f = options as { document: string; at: string; channel: string };
        return runOperation(core, out, 'recordReplySent', { id: args[0], document: f.document, sent_at: f.at, channel: f.channel, ...byOf(options) }, requestLines);
      }),
    );
  request
    .command('rectify <id>')
    .description("correct the subject's data in the mirror (Art 16); Zoom can't edit a registrant, see the job's note")
    .option(BY_OPTION, BY_HELP)
    .option('--set <field=value...>', `fields to correct: ${RECTIFIABLE_FIELDS.join(', ')} (an empty value clears it)`)
    .action(
      withCore((core, out, options, args) => {
        const f = options as GlobalOptions & { by?: string; set?: string[] };
        const fields = Object.fromEntries(
          (f.set ?? []).map((pair) => {
            const at = pair.indexOf('=');
            if (at < 1) throw new AppError('USAGE', `--set ${pair}: write field=value, e.g. --set last_name=Beispiel`);
            const value = pair.slice(at + 1);
            return [pair.slice(0, at), value === '' ? null : value];
          }),
        );
        return runOperation(core, out, 'rectifyRequest', { id: args[0], ...byOf(f), fields }, requestLines);
      }),
    );
}
