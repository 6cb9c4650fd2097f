import type { Residual } from '../../../shared/jobs';
import type { AuditVerdict } from '../audit';
import { ERASURE_GROUND_WORDS, IDENTITY_CHECK_ACTIONS, identityChecksIn, identityMethodIn } from '../../../shared/legal-words';
import { REQUEST_ARTICLE } from '../../../shared/requests';
import { sayObservation, storedObservation } from './observations';
import { EVIDENCE_TEXTS } from './evidence-texts';
import { PdfWriter } from './pdf/typeset';
import { wordsFor, type RequestDocumentContext, type Words } from './words';

// The evidence PDF of one request (Art 5(2)), in English or German: what was asked, decided, done
// and confirmed, each as recorded when it happened and by whom, and the audit chain's anchor when
// the document was made, so an auditor can hold the document against the log later. Webinars by
// title and date, times to the second in the register's time zone, statuses in words.

const REMOTE = new Set(['job.cancel', 'job.delete', 'job.verify']);

export interface EvidenceContext extends RequestDocumentContext {
  /** The chain as `audit verify` found it when the document was made. */
  chain: AuditVerdict;
  appVersion: string;
  onProgress?: (done: number, total: number) => void;
}

/** One registration, report record or webinar's lists as a table names it: the webinar by title and date, then what of it. */
function recordOf(w: Words, webinar: string, occurrence: string | null | undefined, registrant: string | null | undefined, lists = false): string {
  return [w.event(webinar), occurrence ? w.t('occurrence', { id: occurrence }) : null, lists ? w.t('lists') : registrant ? w.t('registrant', { id: registrant }) : null].filter(Boolean).join(' · ');
}

/** What Zoom answered: the HTTP status, and Zoom's own code where it gave one. */
function answerOf(w: Words, http: unknown, code: unknown): string {
  if (http === null || http === undefined) return w.t('noAnswer');
  return code === null || code === undefined ? String(http) : `${String(http)} · ${String(code)}`;
}

const dash = (value: unknown) => (value === null || value === undefined || value === '' ? '–' : String(value));

function residualLine(w: Words, r: Residual): string {
  const what = w.t(`sourceName.${r.source}`, { defaultValue: r.source });
  return `• ${w.event(r.event_id)}: ${what}${r.source === 'blocked_list' || r.source === 'registrant' ? '' : ` (${r.records})`}`;
}

export async function evidencePdf({ record, chain, settings, lang, timeZone, generatedAt, appVersion, draft, webinars, onProgress }: EvidenceContext): Promise<{ bytes: Buffer; pages: number }> {
  const w = wordsFor(lang, timeZone, EVIDENCE_TEXTS, webinars);
  const { t } = w;
  const { request, run, steps, audit, processor } = record;
  const made = w.instant(generatedAt.toISOString());
  const pdf = new PdfWriter({
    title: t('title', { id: request.id }),
    footer: t('footer', { version: appVersion, id: request.id, date: w.date(generatedAt.toISOString()) }),
    generatedAt,
    lang,
    pageLabel: (page, pages) => t('page', { page, pages }),
    draft,
  });

  pdf.title(t('title', { id: request.id }));
  pdf.paragraph(
    t('intro', { version: appVersion, date: made, organisation: settings.organisation_name ?? '', dpo: settings.dpo_email ? t('dpo', { email: settings.dpo_email }) : '', zone: timeZone }),
    { color: '#444444' },
  );

  pdf.heading(t('s1'));
  const days = (from: string, to: string) => Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000));
  const status = t(`statusName.${request.status}`);
  pdf.fields([
    [t('request'), request.id],
    [t('type'), `${t(`requestType.${request.type}`)} (${w.law(REQUEST_ARTICLE[request.type])})`],
    [t('channel'), t(`channelName.${request.channel}`)],
    [t('received'), w.instant(request.received_at)],
    [t('due', { law: w.law('12(3)') }), request.extension ? t('dueExtended', { original: w.date(request.original_due_at), due: w.date(request.due_at) }) : w.date(request.due_at)],
    [
      t('extension'),
      request.extension
        ? t('extensionValue', { by: request.extension.by, at: w.instant(request.extension.at), reason: request.extension.reason, notified: w.date(request.extension.notified_at) })
        : t('none'),
    ],
    [t('status'), request.closed_at ? t('closedOn', { status, date: w.instant(request.closed_at) }) : status],
    [t('daysTaken'), request.closed_at ? t('daysClosed', { count: days(request.received_at, request.closed_at) }) : t('daysOpen', { count: days(request.received_at, generatedAt.toISOString()) })],
  ]);

  pdf.heading(t('s2'));
  pdf.fields([
    [t('masked'), request.subject_masked],
    [t('hash'), request.subject_hash],
    [t('full'), request.subject_email ? t('fullHeld') : t('fullPurged', { date: w.date(request.address_purged_at ?? request.purged_at ?? generatedAt.toISOString()) })],
  ]);
  // A person with several addresses: each is covered, each with its own hash (and, in section 3, its own identity check).
  const several = request.addresses.length > 1;
  if (several) {
    pdf.paragraph(t('addresses'), { size: 9 });
    pdf.table(
      [
        { header: t('addressNo'), width: 0.4, align: 'right' },
        { header: t('masked'), width: 1.9 },
        { header: t('hash'), width: 5.6 },
        { header: t('via'), width: 1.6 },
      ],
      request.addresses.map((a, i) => [String(i + 1), a.masked, a.subject_hash, t(`viaName.${a.via}`)]),
      { size: 7 },
    );
  }
  pdf.paragraph(t('hashHow'), { size: 8.5, color: '#444444' });

  pdf.heading(t('s3'));
  const identityOf = (identity: { method: string; by: string; at: string } | null) =>
    identity ? t('identityValue', { method: identityMethodIn(w.lang, identity.method), by: identity.by, at: w.instant(identity.at) }) : t('notRecorded');
  pdf.fields([
    ...(several
      ? request.addresses.map((a) => [t('identityOf', { address: a.masked }), identityOf(a.identity)] as [string, string])
      : [[t('identity'), identityOf(request.identity)] as [string, string]]),
    [
      t('decision'),
      request.decision
        ? t('decisionValue', {
            outcome: t(`outcomeName.${request.decision.outcome}`),
            by: request.decision.by,
            at: w.instant(request.decision.at),
            law: request.decision.ground
              ? t('groundValue', { law: w.law(request.decision.ground), words: ERASURE_GROUND_WORDS[w.lang][request.decision.ground] })
              : w.law(request.decision.article ?? REQUEST_ARTICLE[request.type]),
            reason: request.decision.reason ? t('reason', { reason: request.decision.reason }) : '',
          })
        : t('noDecision'),
    ],
    ...(request.type === 'erasure' && request.decision?.outcome === 'approved'
      ? [
          [
            t('exceptions', { law: w.law('17(3)') }),
            request.decision.exceptions_checked ? t('exceptionsChecked', { by: request.decision.by, at: w.instant(request.decision.at) }) : t('notRecorded'),
          ] as [string, string],
        ]
      : []),
  ]);
  const statusWord = (s: string | null) => (s ? t(`statusName.${s}`) : '–');
  pdf.table(
    [
      { header: t('when'), width: 2.2 },
      { header: t('who'), width: 1.5 },
      { header: t('what'), width: 1.8 },
      { header: t('fromTo'), width: 2 },
      { header: t('note'), width: 2.5 },
    ],
    request.timeline.map((e) => [
      w.instant(e.at),
      e.by,
      t(`event.${e.action}`, { defaultValue: e.action }),
      e.from === e.to ? '–' : `${statusWord(e.from)} → ${statusWord(e.to)}`,
      dash(e.reason && IDENTITY_CHECK_ACTIONS.includes(e.action) ? identityChecksIn(e.reason, (m) => identityMethodIn(w.lang, m)) : e.reason),
    ]),
  );

  const masks = new Map(request.addresses.map((a) => [a.subject_hash, a.masked]));
  // A step names its address by its keyed hash; a sweep looks for every address; a journal from before several addresses acts for the first.
  const addressOfStep = (hash: string | null, source: string) => (hash ? (masks.get(hash) ?? '–') : source === 'lists' ? t('sweepAll') : request.subject_masked);
  pdf.heading(t('s4'));
  if (!run) pdf.paragraph(t('noJob'));
  else {
    const basis = run.planned_from;
    pdf.fields([
      [t('planned'), w.instant(run.planned_at)],
      [t('basis'), basis ? t('basisValue', { started: w.instant(basis.started_at), finished: basis.finished_at ? w.instant(basis.finished_at) : '–' }) : t('basisNone')],
      [
        t('steps'),
        t('stepsValue', {
          registrations: t('registrations', { count: steps.filter((s) => s.source === 'registrant').length }),
          sweeps: t('sweeps', { count: steps.filter((s) => s.source === 'lists').length }),
          records: t('records', { count: steps.filter((s) => s.source !== 'registrant' && s.source !== 'lists').length }),
        }),
      ],
    ]);
    for (const note of run.notes) pdf.paragraph(t('planNote', { note }), { size: 8.5 });
    pdf.table(
      [
        { header: t('step'), width: 0.6, align: 'right' },
        { header: t('record'), width: 4.6 },
        { header: t('source'), width: 1.3 },
        { header: t('actions'), width: 2.5 },
      ],
      steps.map((s) => [
        String(s.step),
        recordOf(w, s.event_id, s.occurrence_id, s.registrant_id, s.source === 'lists') + (several ? ` · ${addressOfStep(s.subject_hash, s.source)}` : ''),
        t(`sourceName.${s.source}`, { defaultValue: s.source }),
        s.actions.map((a) => t(`action.${a.action}`)).join(', '),
      ]),
      { size: 7.5 },
    );
  }
  onProgress?.(1, 3);

  pdf.heading(t('s5'));
  const calls = audit.filter((e) => REMOTE.has(e.action));
  if (calls.length === 0) pdf.paragraph(t('noCalls'));
  else {
    pdf.paragraph(t('callsIntro'), { size: 8.5, color: '#444444' });
    pdf.table(
      [
        { header: t('auditNo'), width: 0.8, align: 'right' },
        { header: t('at'), width: 1.9 },
        { header: t('who'), width: 1.2 },
        { header: t('record'), width: 3.4 },
        { header: t('actionResult'), width: 1.6 },
        { header: t('answer'), width: 1.1 },
      ],
      calls.map((e) => [
        String(e.seq),
        w.instant(e.at),
        e.actor,
        recordOf(w, String(e.details.event_id), e.details.occurrence_id as string | null, e.details.registrant_id as string | null, !e.details.registrant_id),
        `${t(`action.${e.action.replace('job.', '')}`)}: ${t(`result.${String(e.details.result)}`, { defaultValue: dash(e.details.result) })}`,
        answerOf(w, e.details.http_status, e.details.zoom_code),
      ]),
      { size: 7.5 },
    );
  }
  for (const e of audit.filter((x) => x.action === 'job.anonymize_local' || x.action === 'job.collect')) {
    const details = Object.entries(e.details)
      .map(([k, v]) => `${t(`detail.${k}`, { defaultValue: k })} ${typeof v === 'boolean' ? (v ? t('yes') : '–') : typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
      .join(', ');
    pdf.paragraph(`${t('local', { at: w.instant(e.at), what: e.action === 'job.collect' ? t('localCollect') : t('localErase'), details })} (${e.actor})`, { size: 8.5 });
  }

  pdf.heading(t('s6'));
  const verifications = steps.flatMap((s) => s.actions.filter((a) => a.action === 'verify').map((a) => ({ s, a })));
  if (verifications.length === 0) pdf.paragraph(t('noVerify'));
  else
    pdf.table(
      [
        { header: t('record'), width: 3.8 },
        { header: t('verified'), width: 1 },
        { header: t('answer'), width: 1.2 },
        { header: t('readBack'), width: 4 },
      ],
      verifications.map(({ s, a }) => [
        recordOf(w, s.event_id, s.occurrence_id, s.registrant_id, s.source === 'lists'),
        a.state === 'done' ? t('yes') : t(`result.${a.state}`, { defaultValue: a.state }),
        answerOf(w, a.http_status, a.zoom_code),
        `${dash(observationIn(w, a))} (${a.at ? w.instant(a.at) : '–'})`,
      ]),
      { size: 7.5 },
    );

  pdf.heading(t('s7'));
  const residual = run?.residual ?? [];
  pdf.paragraph(residual.length === 0 ? t('nothingLeft') : residual.map((r) => residualLine(w, r)).join('\n'));
  if (processor) {
    pdf.paragraph(t('processor', { law: w.law('28(3)(e)', '19'), status: t(`processorStatus.${processor.status}`), date: w.instant(processor.created_at) }), { weight: 'bold' });
    if (processor.sent_at) pdf.paragraph(t('processorSent', { sent: w.instant(processor.sent_at), due: w.date(processor.due_at!) }));
    if (processor.answered_at) pdf.paragraph(t('processorAnswer', { date: w.instant(processor.answered_at), outcome: t(`outcome.${processor.outcome}`) }));
    pdf.table(
      [
        { header: t('when'), width: 2.2 },
        { header: t('who'), width: 1.5 },
        { header: t('what'), width: 2.3 },
        { header: t('note'), width: 4 },
      ],
      processor.history.map((h) => [w.instant(h.at), h.by, t(`event.${h.action}`, { defaultValue: h.action }), dash(h.reason)]),
    );
  } else pdf.paragraph(t('noProcessor'));
  if (run?.package) {
    pdf.paragraph(t('package'), { weight: 'bold' });
    pdf.table(
      [
        { header: t('file'), width: 3 },
        { header: 'SHA-256', width: 5 },
      ],
      run.package.map((f) => [f.path.split(/[\\/]/).pop()!, f.sha256]),
    );
  }
  onProgress?.(2, 3);

  pdf.heading(t('s8'));
  pdf.paragraph(t('auditIntro', { count: audit.length }), { size: 8.5 });
  pdf.table(
    [
      { header: '#', width: 0.6, align: 'right' },
      { header: t('at'), width: 2.1 },
      { header: t('actor'), width: 2.8 },
      { header: t('entryHash'), width: 5 },
    ],
    audit.map((e) => [String(e.seq), w.instant(e.at), `${e.actor}: ${e.action}`, e.hash]),
    { size: 7.5 },
  );
  pdf.keep(90);
  pdf.paragraph(t('chain'), { weight: 'bold' });
  pdf.fields([
    [t('chainState'), chainIn(t, chain)],
    [t('entries'), String(chain.entries)],
    [t('head'), chain.head],
    [t('anchor'), chain.anchor ? t('anchorValue', { entries: chain.anchor.entries, head: chain.anchor.head, at: w.instant(chain.anchor.at) }) : t('none')],
  ]);
  pdf.paragraph(t('confirm', { entries: chain.entries, head: chain.head }), { size: 8.5, color: '#444444' });
  onProgress?.(3, 3);
  return pdf.finish();
}

/** What the read-back saw: the journal's own English words, or in another language where it kept the observation. */
function observationIn(w: Words, action: { message: string | null; note: string | null }): string | null {
  const note = w.lang === 'en' ? null : storedObservation(action.note);
  return note ? sayObservation(w.lang, note) : action.message;
}

/** The chain's verdict in the document's language, from what was found (the core's message is English). */
function chainIn(t: Words['t'], chain: AuditVerdict): string {
  const message = t(`finding.${chain.finding}`, { entries: chain.entries, anchored: chain.anchor?.entries ?? 0 });
  return chain.ok ? t('intact', { message }) : chain.first_bad !== null ? t('broken', { entry: chain.first_bad, message }) : t('unconfirmed', { message });
}
