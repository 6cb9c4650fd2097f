import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppError, errorShapeOf } from '../../shared/errors';
import { openCore } from '../core/service';
import { KEYCHAIN_SERVICE, keytarBackend, Secrets } from '../core/secrets';
import { startZoomSandbox } from '../core/sandbox/server';
import { DEMO_ORGANISATION, DEMO_SUBJECT, DEMO_SUBJECT_PRIVATE } from '../core/sandbox/seed';
import type { ZoomSandbox } from '../core/sandbox/server';
import { CHANGE_DESCRIPTIONS } from '../../shared/changes';
import type { OperationOutput } from '../../shared/contract';
import { describeResidual } from '../../shared/jobs';
import { EXIT_OK, type Output } from './output';

/**
 * The main job end to end, on a data directory of its own so demo data never mixes with a real
 * register, against the built-in Zoom sandbox. Grows with the product: today it creates the
 * encrypted store, connects to the sandbox, mirrors what Zoom holds, classifies what changes
 * there between two syncs, then takes an erasure request from receipt to a verified result.
 */
/** Who works the demo's desk: the operator every act without its own name is recorded under. */
const DEMO_OPERATOR = 'Dana DPO (demo)';
/** The second Zoom account's name in the desk, and its account ID in the second sandbox. */
const SECOND_ACCOUNT = 'eu';
const SECOND_ACCOUNT_ID = 'sandbox-account-eu';

export async function runDemo(out: Output, dataDirOption: string | undefined): Promise<number> {
  const dataDir = dataDirOption ?? fs.mkdtempSync(path.join(os.tmpdir(), 'dsr-desk-demo-'));
  const privateKeychain = process.env.DSR_DESK_PRIVATE_KEYCHAIN === '1';
  // A folder of the demo's own whose key ends with a throw-away keychain can never be read again:
  // it goes at the end, with the reply letter and processor request that print the demo subject's address.
  const removeAfter = dataDirOption === undefined && privateKeychain;
  const steps: string[] = [];
  const step = (line: string) => {
    steps.push(line);
    out.note(`  ✓ ${line}`);
  };

  out.note('DSR Desk demo');
  out.note(`  data directory: ${dataDir}`);
  out.note(privateKeychain ? '  keychain: none was reachable, so a private GNOME Keyring was started for this run (it ends with the run)' : '  keychain: the OS keychain');

  const sandbox = await startZoomSandbox({ seed: 'demo', plan: 'pro' });
  // A second Zoom account of the same organisation (its EU subsidiary, say), where the subject registered with her private address.
  const euSandbox = await startZoomSandbox({ seed: 'demo', plan: 'pro', accountId: SECOND_ACCOUNT_ID });
  try {
    const core = await openCore({ dataDir });
    try {
      const status = await core.service.getStoreStatus({});
      step(
        core.store.created
          ? `generated a random 256-bit database key and stored it only in the keychain ("${KEYCHAIN_SERVICE}", database-key@${path.resolve(dataDir)})`
          : "found this data directory's database key in the keychain",
      );
      step(`${core.store.created ? 'created' : 'opened'} the encrypted database ${status.path} (${status.cipher}, schema version ${status.schema_version})`);
      step(`checked the file on disk: ${status.encrypted ? 'no plaintext SQLite header, its pages are encrypted' : 'NOT ENCRYPTED'}`);
      step(`started the Zoom sandbox on ${sandbox.oauthUrl} (demo data, Pro plan rate limits)`);

      const connected = await core.dispatch('connectZoom', { ...sandbox.credentials, api_url: sandbox.apiUrl, oauth_url: sandbox.oauthUrl });
      if (!connected.ok) return out.failure(connected.error);
      step('connected: got a Server-to-Server OAuth token, read /users/me, and stored the credentials in the keychain only');
      const connectedSecond = await core.dispatch('connectZoom', { ...euSandbox.credentials, api_url: euSandbox.apiUrl, oauth_url: euSandbox.oauthUrl, name: SECOND_ACCOUNT });
      if (!connectedSecond.ok) return out.failure(connectedSecond.error);
      step(
        `connected a second Zoom account, ${SECOND_ACCOUNT_ID}, as "${SECOND_ACCOUNT}" (a second sandbox on ${euSandbox.oauthUrl}, its own credentials under their own keychain entry, its own rate limits)`,
      );
      await core.service.updateSettings({ operator: DEMO_OPERATOR, ...DEMO_ORGANISATION });
      step(
        `set up the demo organisation, ${DEMO_ORGANISATION.organisation_name}, whose documents can be sent as they are; working as ${DEMO_OPERATOR}: every act below is recorded under a person's name (the approval under the reviewer's)`,
      );

      // 1. The first sync: everything Zoom holds, into the encrypted mirror.
      const first = await core.dispatch('syncZoom', {});
      if (!first.ok) return out.failure(first.error);
      const firstSync = first.value as OperationOutput<'syncZoom'>;
      step(
        `synced (${firstSync.mode}): ${firstSync.webinars} webinars and ${firstSync.meetings} meetings that take registration, ${firstSync.registrants} registrants in every status, ${firstSync.participants} participant records, plus Q&A, polls, survey answers and panelists`,
      );
      step(
        `  ${firstSync.accounts.length} Zoom accounts read side by side: ${firstSync.accounts.map((a) => `"${a.account}" ${a.webinars} webinars, ${a.meetings} meetings, ${a.registrants} registrants`).join('; ')}`,
      );
      const overview = [...(await core.service.listWebinars({})).webinars, ...(await core.service.listMeetings({})).meetings];
      for (const w of overview) {
        const { approved, pending, denied } = w.registrants;
        const records = w.records;
        step(
          `  ${w.event_type} ${w.id} "${w.topic}" (account "${w.account}"): ${approved} approved, ${pending} pending, ${denied} denied` +
            (records.participants > 0
              ? `; ${records.participants} participants, ${records.absentees} absentees, ${records.qa} Q&A, ${records.polls} poll answers, ${records.survey} survey answers`
              : ''),
        );
      }
      const subject = await core.service.findSubject({ email: DEMO_SUBJECT.email });
      step(`found the demo subject ${DEMO_SUBJECT.email} in ${subject.matches.length} records: ${summariseSources(subject.matches.map((m) => m.source))}`);

      // 2. Things happen on Zoom outside the app, the way people and hosts do them there.
      const happened = actOnZoom(sandbox);
      step(`on Zoom, outside DSR Desk: ${happened.join('; ')}`);

      // 3. The next sync classifies each registrant's transition.
      const second = await core.dispatch('syncZoom', {});
      if (!second.ok) return out.failure(second.error);
      const secondSync = second.value as OperationOutput<'syncZoom'>;
      const counted = Object.entries(secondSync.changes)
        .filter(([, n]) => n > 0)
        .map(([kind, n]) => `${n} ${kind}`);
      const selfCancelled = new Set(
        (await core.service.listChanges({ since: secondSync.started_at, after_id: 0, limit: 100 })).changes.filter((c) => c.kind === 'self_cancelled').map((c) => `${c.event_id}:${c.registrant_id}`),
      );
      step(`synced again (${secondSync.mode}): ${counted.join(', ') || 'no changes'}`);
      const changes = await core.service.listChanges({ since: secondSync.started_at, after_id: 0, limit: 100 });
      for (const c of changes.changes) step(`  ${c.kind.padEnd(15)} ${c.event_type} ${c.event_id}, registrant ${c.registrant_id}: ${CHANGE_DESCRIPTIONS[c.kind]} [${c.evidence}]`);

      // 4. The main job: an erasure request for the demo subject, from receipt to verified result.
      const filed = await core.dispatch('createRequest', { type: 'erasure', email: DEMO_SUBJECT.email, channel: 'email', by: DEMO_OPERATOR });
      if (!filed.ok) return out.failure(filed.error);
      const request = filed.value as OperationOutput<'createRequest'>;
      step(`filed erasure request ${request.id} for ${DEMO_SUBJECT.email}: received ${request.received_at.slice(0, 10)}, due ${request.due_at.slice(0, 10)} (Art 12(3), ${request.days_left} days)`);

      // A request comes from a person, not an address: a name match under another address is offered, never acted on by itself.
      const offered = (await core.service.listSuggestions({ id: request.id })).suggestions;
      for (const s of offered) {
        step(
          `possibly the same person: "${s.name}" registered under ${s.email} (${s.sources} registrations, ${[...new Set(s.events.map((e) => `account "${e.account}"`))].join(', ')}); shown to the DPO, never erased on a name alone`,
        );
      }
      const hers = offered.find((s) => s.email === DEMO_SUBJECT_PRIVATE);
      if (hers) {
        const accepted = await core.dispatch('decideSuggestion', { id: request.id, email: hers.email, decision: 'accept', by: DEMO_OPERATOR });
        if (!accepted.ok) return out.failure(accepted.error);
        step(`the subject confirmed ${hers.email} is hers: accepted (recorded with who and when), so the request covers both addresses; its identity is checked like the first's`);
      }
      for (const [operation, input, line] of [
        [
          'verifyIdentity',
          { id: request.id, method: 'reply_from_registered_address', by: DEMO_OPERATOR },
          'verified the identity for each address by a reply from it (method and reviewer recorded per address; no ID document kept)',
        ],
        [
          'approveRequest',
          { id: request.id, by: 'Rui Reviewer (demo)', ground: '17(1)(b)', exceptions_checked: true },
          'approved the erasure on Art 17(1)(b), consent withdrawn, after checking that no Art 17(3) exception applies',
        ],
      ] as const) {
        const done = await core.dispatch(operation, input);
        if (!done.ok) return out.failure(done.error);
        step(line);
      }
      const plan = (await core.service.planJob({ id: request.id })) as OperationOutput<'planJob'>;
      const registrations = plan.steps.filter((s) => s.source === 'registrant');
      step(
        `previewed the job: ${registrations.length} registrations to delete and verify (${registrations.filter((s) => s.actions.includes('cancel')).length} live ones cancelled first), ` +
          `${plan.steps.filter((s) => s.source === 'lists').length} event lists to sweep for the addresses, ${plan.steps.filter((s) => s.source !== 'registrant' && s.source !== 'lists').length} report records to anonymize locally`,
      );
      for (const note of plan.notes) step(`  ${note}`);
      const ran = await core.dispatch('runJob', { id: request.id });
      if (!ran.ok) return out.failure(ran.error);
      const job = ran.value as OperationOutput<'runJob'>;
      step(`ran the job: ${job.status}; planned from sync ${job.planned_from?.run_id} (started ${job.planned_from?.at}), which the job ran first since the request arrived after the last sync`);
      for (const s of job.steps.filter((x) => x.source === 'registrant')) {
        const cancelledBySubject = selfCancelled.has(`${s.event_id}:${s.registrant_id}`) ? ' (the subject had cancelled it themselves; Zoom still held it)' : '';
        const answers = s.actions.filter((a) => a.http_status !== null).map((a) => `${a.action} ${a.result} (HTTP ${a.http_status}${a.zoom_code !== null ? `, Zoom ${a.zoom_code}` : ''})`);
        step(
          `  ${s.event_type} ${s.event_id} (account "${s.account}", ${s.email}), registrant ${s.registrant_id}${cancelledBySubject}: ${answers.join(', ')}; ${s.verified ? 'VERIFIED gone from Zoom' : 'NOT verified'}`,
        );
      }
      for (const r of job.residual) step(`  left with Zoom, its API can't erase it: ${describeResidual(r)}`);
      if (job.processor_task) step(`  prepared processor request ${job.processor_task.id} to Zoom (Art 28(3)(e), Art 19) for those records`);
      for (const email of [DEMO_SUBJECT.email, DEMO_SUBJECT_PRIVATE]) {
        const after = await core.service.findSubject({ email });
        step(`find ${email}: ${after.matches.length} records with personal data; on the suppression list: ${after.suppressed ? 'yes' : 'no'}`);
      }
      const audited = await core.service.verifyAudit({});
      step(`audit log: ${audited.ok ? 'intact' : 'BROKEN'}, ${audited.entries} entries, head ${audited.head.slice(0, 16)}…`);

      const calls = [...sandbox.requests(), ...euSandbox.requests()].filter((r) => r.path !== '/oauth/token');
      step(`${calls.length} Zoom API calls, ${calls.filter((r) => r.status === 429).length} refused for rate limits`);

      // The documents that prove it: for the auditor, for the subject, for Zoom.
      const evidence = await core.service.writeEvidence({ id: request.id, force: false, draft: false });
      step(`wrote the evidence PDF (${evidence.pages} pages; its SHA-256 ${evidence.sha256.slice(0, 16)}… is in the audit log): ${evidence.path}`);
      const reply = await core.service.writeReplyLetter({ id: request.id, force: false, draft: false });
      step(`wrote the reply to the data subject (${reply.kind} confirmation, ${reply.lang}): ${reply.path}`);
      const processor = job.processor_task ? await core.service.writeProcessorRequest({ id: request.id, force: false, draft: false }) : null;
      if (processor) step(`wrote the processor request to Zoom, the address on a separate last page: ${processor.path}`);

      out.result(
        {
          data_dir: path.resolve(dataDir),
          database: status.path,
          created: core.store.created,
          encrypted: status.encrypted,
          schema_version: status.schema_version,
          zoom: { api_url: sandbox.apiUrl, account_id: sandbox.credentials.account_id },
          accounts: (await core.service.listAccounts({})).accounts,
          sync: { first: firstSync, second: secondSync, changes: changes.changes },
          request: request.id,
          job,
          documents: { evidence: evidence.path, evidence_sha256: evidence.sha256, reply: reply.path, processor_request: processor?.path ?? null },
          steps,
        },
        () =>
          removeAfter
            ? [
                '',
                `Done. The private keychain ends with this run, and the database key with it, so the demo's folder ${dataDir} is removed now`,
                "(with the reply letter and the processor request, which print the made-up demo subject's address). On a desktop session",
                'the OS keychain keeps the key, and the folder stays for you to look at.',
                ...OPEN_THE_DESK,
              ]
            : [
                '',
                `Done. ${dataDir} holds this run's encrypted store (its key in the keychain) and, under documents/, the evidence PDF`,
                "(masked address), the reply letter and the processor request (both print the made-up demo subject's address).",
                `Delete it when you are done: rm -rf ${dataDir}. Look at this run's mirror and register with:`,
                `  npx dsr-desk --data-dir ${dataDir} webinars`,
                `  npx dsr-desk --data-dir ${dataDir} serve    (its data in the window, in browser mode)`,
                ...OPEN_THE_DESK,
              ],
      );
      return EXIT_OK;
    } finally {
      await core.close();
    }
  } catch (error) {
    if (error instanceof AppError) return out.failure(errorShapeOf(error));
    throw error;
  } finally {
    await sandbox.close();
    await euSandbox.close();
    if (removeAfter) {
      await new Secrets(keytarBackend(), dataDir).forget([SECOND_ACCOUNT]).catch(() => undefined);
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }
}

/** How a new user gets to the window, where a DPO works every day. */
const OPEN_THE_DESK = [
  '',
  'Now open the desk, the window a DPO works in:',
  '  npm run desk        (npx dsr-desk serve; where the machine has no keychain, in a keyring of its own kept in',
  '                      ~/.local/share/dsr-desk-keyring, locked with a password it asks you for)',
  'and open the address it prints in a browser (it carries a one-time token; the desk listens on 127.0.0.1 only).',
  'On the first run, give your name and choose "Try the sandbox" to walk the same job with demo data',
  '(or connect your Zoom account). Where Electron can run, `npm start` opens the same desk as a desktop app.',
];

const DEMO_WEBINAR = 81_234_567_890; // manual approval: approved, pending and denied registrants
const RECURRING_WEBINAR = 81_234_567_891;
const MEMBERS_MEETING = 85_234_567_890;

/** Acts on the sandbox as people and hosts act on Zoom: a self-cancel, a host cancel, a deny, a new registration. */
function actOnZoom(sandbox: ZoomSandbox): string[] {
  const account = sandbox.account();
  const webinar = account.webinars.get(DEMO_WEBINAR)!;
  const others = [...webinar.registrants.values()].filter((r) => r.email !== DEMO_SUBJECT.email);
  const approved = others.filter((r) => r.status === 'approved');
  const pending = others.filter((r) => r.status === 'pending');
  account.selfCancel(webinar, approved[0]!);
  account.applyStatus(webinar, approved[1]!, 'cancel');
  account.applyStatus(webinar, pending[0]!, 'deny');
  const recurring = account.webinars.get(RECURRING_WEBINAR)!;
  account.register(recurring, { email: 'max.beispiel@example.org', first_name: 'Max', last_name: 'Beispiel' });
  // The case that started DSR Desk: the subject opts out of one webinar through Zoom's own link.
  account.selfCancel(recurring, account.registrantByEmail(recurring, DEMO_SUBJECT.email)!);
  // And of a meeting: Zoom treats meeting registrants alike (zoom-api.md §4.1).
  const members = account.meetings.get(MEMBERS_MEETING)!;
  account.selfCancel(members, account.registrantByEmail(members, DEMO_SUBJECT.email)!);
  return [
    'one registrant cancelled their own registration',
    'a host cancelled an approved registration',
    'a host denied a pending one',
    'someone new registered',
    `the demo subject cancelled their own registration for webinar ${RECURRING_WEBINAR} (Zoom keeps the record)`,
    `and for meeting ${MEMBERS_MEETING}, also kept by Zoom`,
  ];
}

function summariseSources(sources: string[]): string {
  const counts = new Map<string, number>();
  for (const source of sources) counts.set(source, (counts.get(source) ?? 0) + 1);
  return [...counts].map(([source, n]) => `${n} ${source}`).join(', ');
}
