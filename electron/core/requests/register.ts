import type { z } from 'zod';
import { dueAt, type DeadlineRules } from '../../../shared/deadlines';
import { maskEmail, normaliseEmail } from '../../../shared/email';
import { AppError } from '../../../shared/errors';
import { counted } from '../../../shared/jobs';
import {
  addressesOf,
  refusalOf,
  OPEN_STATUSES,
  type Acting,
  type AddAddressInput,
  type ApproveInput,
  type CreateRequestInput,
  type ExtendInput,
  type HoldInput,
  type NoteInput,
  type ReplySentInput,
  type RectifyInput,
  type RefuseInput,
  type RequestAction,
  type RequestDetail,
  type RequestStatus,
  type RequestSummary,
  type ResumeInput,
  type VerifyIdentityInput,
  MAX_ADDRESSES,
} from '../../../shared/requests';
import type { AuditLog } from '../audit';
import type { Db } from '../store/database';
import { rectifyRegistrations } from '../store/registrants';
import type { SuppressionList } from '../store/suppression';
import { AddressActs } from './address-acts';
import { addressRows, addressesOf as addressDetails, insertAddress, purgeAddressesOf, purgeIdentityMethodsOf } from './addresses';
import { detailOf, requestRow, summaryOf, type RequestRow } from './request-detail';

// The request register. Every change is one transaction that updates the request, appends its
// timeline event and its audit entry, so the three never disagree. The one writer of requests and
// their timeline (request_events): retention.ts and the jobs record theirs through it.

type Patch = Partial<Omit<RequestRow, 'id'>>;

export interface RegisterDeps {
  db: Db;
  audit: AuditLog;
  now: () => Date;
  /** The suppression list, whose keyed hash of the address is kept after a purge (opened on first use: it needs the keychain). */
  suppression: () => Promise<SuppressionList>;
  rules: () => DeadlineRules;
}

export class RequestRegister {
  private readonly addressActs: AddressActs;

  constructor(private readonly deps: RegisterDeps) {
    this.addressActs = new AddressActs(deps, {
      apply: (...args) => this.apply(...args),
      recordAct: (...args) => this.recordAct(...args),
      get: (id) => this.get(id),
      row: (id) => this.row(id),
    });
  }

  async create(input: z.output<typeof CreateRequestInput>, by: string): Promise<z.output<typeof RequestSummary> & { emails: string[] }> {
    const { db, now } = this.deps;
    const suppression = await this.deps.suppression();
    const at = now();
    const receivedAt = input.received_at ? new Date(input.received_at) : at;
    if (receivedAt.getTime() > at.getTime() + 60_000) throw new AppError('INVALID_INPUT', 'received_at lies in the future: give the date the request reached you.');
    const due = dueAt(receivedAt, 1, this.deps.rules()).toISOString();
    const emails = addressesOf(input);
    const email = emails[0];
    if (!email) throw new AppError('INVALID_INPUT', "Give the subject's email address (--email).");
    const id = db.transaction(() => {
      const year = at.getUTCFullYear();
      const count = db.prepare(`SELECT count(*) FROM requests WHERE id LIKE ?`).pluck().get(`DSR-${year}-%`) as number;
      const newId = `DSR-${year}-${String(count + 1).padStart(4, '0')}`;
      // The first address stays on the request itself (the primary one); every address, the first too, is in request_addresses.
      db.prepare(
        `INSERT INTO requests (id, type, subject_email, subject_masked, subject_hash, channel, notes, received_at, original_due_at, due_at, status, created_at, language)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'received', ?, ?)`,
      ).run(
        newId,
        input.type,
        suppression.seal(email),
        maskEmail(email),
        suppression.hashOf(email),
        input.channel,
        input.note ?? null,
        receivedAt.toISOString(),
        due,
        due,
        at.toISOString(),
        input.language ?? null,
      );
      for (const address of emails) {
        insertAddress(db, {
          request_id: newId,
          email: suppression.seal(address),
          masked: maskEmail(address),
          subject_hash: suppression.hashOf(address),
          via: 'filed',
          added_by: by,
          added_at: at.toISOString(),
        });
      }
      this.event(newId, by, 'filed', null, 'received', emails.length > 1 ? `${emails.length} addresses: ${emails.map(maskEmail).join(', ')}` : null);
      this.deps.audit.append({
        actor: by,
        action: 'request.received',
        requestId: newId,
        details: { type: input.type, channel: input.channel, received_at: receivedAt.toISOString(), due_at: due, ...(emails.length > 1 ? { addresses: emails.length } : {}) },
      });
      return newId;
    })();
    return { ...this.summary(this.row(id)), emails };
  }

  list(status?: RequestStatus): z.output<typeof RequestSummary>[] {
    const rows = (
      status ? this.deps.db.prepare('SELECT * FROM requests WHERE status = ? ORDER BY due_at, id').all(status) : this.deps.db.prepare('SELECT * FROM requests ORDER BY due_at, id').all()
    ) as RequestRow[];
    const rules = this.deps.rules();
    return rows.map((row) => this.summary(row, rules));
  }

  /** The open requests one of whose addresses is this one (the new-request form flags a duplicate before it is filed). */
  async openFor(email: string): Promise<z.output<typeof RequestSummary>[]> {
    const hash = (await this.deps.suppression()).hashOf(normaliseEmail(email));
    const rows = this.deps.db
      .prepare(
        `SELECT * FROM requests WHERE id IN (SELECT request_id FROM request_addresses WHERE subject_hash = ?) AND status IN (${OPEN_STATUSES.map(() => '?').join(', ')}) ORDER BY received_at, id`,
      )
      .all(hash, ...OPEN_STATUSES) as RequestRow[];
    const rules = this.deps.rules();
    return rows.map((row) => this.summary(row, rules));
  }

  /** One request with its timeline; the addresses unsealed (they are sealed at rest, sealed-address.ts). */
  async get(id: string): Promise<RequestDetail> {
    const row = this.row(id);
    const suppression = await this.deps.suppression();
    const subjectEmail = row.subject_email === null ? null : suppression.unseal(row.subject_email);
    const addresses = addressDetails(addressRows(this.deps.db, id), (sealed) => suppression.unseal(sealed));
    return detailOf(this.deps.db, row, subjectEmail, addresses, this.summary(row));
  }

  /** Per-address identity checks, another address, name-match decisions: address-acts.ts. */
  verifyIdentity(input: Acting<z.output<typeof VerifyIdentityInput>>): Promise<RequestDetail> {
    return this.addressActs.verifyIdentity(input);
  }

  addAddress(input: Acting<z.output<typeof AddAddressInput>>): Promise<RequestDetail> {
    return this.addressActs.addAddress(input);
  }

  acceptSuggestion(id: string, email: string, by: string): Promise<RequestDetail> {
    return this.addressActs.acceptSuggestion(id, email, by);
  }

  dismissSuggestion(id: string, email: string, by: string): Promise<void> {
    return this.addressActs.dismissSuggestion(id, email, by);
  }

  approve(input: Acting<z.output<typeof ApproveInput>>): Promise<RequestDetail> {
    const at = this.deps.now().toISOString();
    const ground = input.ground ?? null;
    const checked = input.exceptions_checked === true;
    if ((ground || checked) && this.row(input.id).type !== 'erasure') {
      throw new AppError('INVALID_INPUT', `Request ${input.id} is not an erasure: the Art 17(1) ground and the Art 17(3) check belong to an erasure only. Approve it without them.`);
    }
    return this.move(
      input.id,
      'approve',
      input.by,
      'approved',
      input.note ?? null,
      { decision_by: input.by, decision_at: at, decision_reason: input.note ?? null, decision_ground: ground, exceptions_checked_at: checked ? at : null },
      ground || checked ? { ground, exceptions_checked: checked } : {},
    );
  }

  refuse(input: Acting<z.output<typeof RefuseInput>>): Promise<RequestDetail> {
    const at = this.deps.now().toISOString();
    return this.move(
      input.id,
      'refuse',
      input.by,
      'refused',
      input.reason,
      { decision_by: input.by, decision_at: at, decision_reason: input.reason, decision_article: input.article ?? null, closed_at: at },
      { article: input.article ?? null },
    );
  }

  hold(input: Acting<z.output<typeof HoldInput>>): Promise<RequestDetail> {
    const current = this.row(input.id);
    return this.move(input.id, 'hold', input.by, 'on_hold', input.reason, { held_from: current.status, hold_reason: input.reason });
  }

  resume(input: Acting<z.output<typeof ResumeInput>>): Promise<RequestDetail> {
    const current = this.row(input.id);
    return this.move(input.id, 'resume', input.by, current.held_from ?? current.status, null, { held_from: null, hold_reason: null });
  }

  /** Art 12(3): once, before the first deadline passes, with a reason and the date the subject was told. */
  extend(input: Acting<z.output<typeof ExtendInput>>): Promise<RequestDetail> {
    const now = this.deps.now();
    const row = this.row(input.id);
    const notified = new Date(input.notified_at);
    if (row.extended_at) throw new AppError('INVALID_INPUT', `Request ${row.id} was already extended on ${row.extended_at.slice(0, 10)}; Art 12(3) allows one extension.`);
    if (now.getTime() > Date.parse(row.original_due_at)) {
      throw new AppError('INVALID_INPUT', `The first deadline of ${row.id} passed on ${row.original_due_at.slice(0, 10)}: an extension must be decided, and the subject told, within the first month.`);
    }
    if (notified.getTime() > now.getTime()) throw new AppError('INVALID_INPUT', 'notified_at lies in the future: record the extension once the subject has been told.');
    if (notified.getTime() < Date.parse(row.received_at)) throw new AppError('INVALID_INPUT', 'notified_at is before the request was received.');
    const due = dueAt(new Date(row.received_at), (1 + input.months) as 2 | 3, this.deps.rules()).toISOString();
    return this.move(
      input.id,
      'extend',
      input.by,
      row.status,
      input.reason,
      { due_at: due, extended_by: input.by, extended_at: now.toISOString(), extension_reason: input.reason, extension_notified_at: notified.toISOString() },
      { months: input.months, due_at: due, notified_at: notified.toISOString() },
    );
  }

  /** Retention (retention.ts decides which): the subject's identifiers and every free text go; type, dates, outcome and the masked address remain. */
  retentionPurged(id: string, by: string, retentionYears: number, at: string): void {
    const { db } = this.deps;
    this.recordAct(id, by, 'retention_purged', `no activity for more than ${retentionYears} years`, { action: 'request.retention_purged', details: { retention_years: retentionYears } }, () => {
      db.prepare(
        `UPDATE requests SET subject_email = NULL, notes = NULL, identity_method = NULL, decision_reason = NULL, extension_reason = NULL, hold_reason = NULL,
           purged_at = ?, address_purged_at = coalesce(address_purged_at, ?) WHERE id = ?`,
      ).run(at, at, id);
      db.prepare('UPDATE request_events SET reason = NULL WHERE request_id = ?').run(id);
      purgeAddressesOf(db, id);
      purgeIdentityMethodsOf(db, id);
    });
  }

  /** Retention: a closed erasure past the grace period keeps the masked address and the keyed hash only. */
  addressPurged(id: string, by: string, graceDays: number, at: string): void {
    const reason = `closed more than ${graceDays} days ago: the masked address and the keyed hash remain`;
    this.recordAct(id, by, 'address_purged', reason, { action: 'request.address_purged', details: { grace_days: graceDays } }, () => {
      this.deps.db.prepare('UPDATE requests SET subject_email = NULL, address_purged_at = ? WHERE id = ?').run(at, id);
      purgeAddressesOf(this.deps.db, id);
    });
  }

  /**
   * Art 16 on the mirror's copy: corrects the subject's registrations, with a timeline event and
   * an audit entry naming the fields (not their values). Zoom's API can't edit a registrant.
   */
  async rectify(input: Acting<z.output<typeof RectifyInput>>): Promise<RequestDetail> {
    const { db } = this.deps;
    const row = this.row(input.id);
    const email = row.subject_email === null ? null : (await this.deps.suppression()).unseal(row.subject_email);
    if (row.type !== 'rectification') throw new AppError('INVALID_STATE', `Request ${row.id} is an ${row.type} request; only a rectification request corrects data.`);
    if (!['approved', 'running', 'partial', 'failed'].includes(row.status)) {
      throw new AppError('INVALID_STATE', `Request ${row.id}: a request that is ${row.status} can't be carried out; approve it first.`);
    }
    if (!email) throw new AppError('INVALID_STATE', `Request ${row.id} no longer holds the subject's address.`);
    const fields = Object.entries(input.fields).filter(([, v]) => v !== undefined) as [string, string | null][];
    db.transaction(() => {
      const rows = rectifyRegistrations(db, email, fields);
      this.event(row.id, input.by, 'rectify', row.status, row.status, `corrected ${fields.map(([f]) => f).join(', ')} in ${counted(rows, ['mirrored registration', 'mirrored registrations'])}`);
      this.deps.audit.append({ actor: input.by, action: 'request.rectify', requestId: row.id, details: { fields: fields.map(([f]) => f).sort(), registrations: rows } });
    })();
    return this.get(row.id);
  }

  /** Marks the job of a request as started or ended (the jobs call these, inside their own transactions). */
  setJobStatus(id: string, to: 'running' | 'completed' | 'partial' | 'failed' | 'waiting_for_processor', by: string, reason: string | null = null): void {
    const action: RequestAction = to === 'running' ? 'start_job' : 'finish_job';
    const closing = to === 'completed' ? { closed_at: this.deps.now().toISOString() } : {};
    this.apply(id, action, by, to, reason, closing);
  }

  /** A note on the request's file: in its timeline (purged with the request's other free text) and the audit log (without its text). */
  note(input: Acting<z.output<typeof NoteInput>>): Promise<RequestDetail> {
    this.recordAct(input.id, input.by, 'note', input.text, { action: 'request.note', details: { characters: input.text.length } });
    return this.get(input.id);
  }

  /** A reply went to the data subject: which document, when, how, by whom. */
  replySent(input: Acting<z.output<typeof ReplySentInput>>): Promise<RequestDetail> {
    if (Date.parse(input.sent_at) > this.deps.now().getTime() + 60_000) throw new AppError('INVALID_INPUT', 'sent_at lies in the future: record a reply once it has gone out.');
    const row = this.row(input.id);
    if (Date.parse(input.sent_at) < Date.parse(row.received_at)) throw new AppError('INVALID_INPUT', `sent_at is before ${row.id} was received (${row.received_at}).`);
    const sentAt = new Date(input.sent_at).toISOString();
    this.recordAct(
      input.id,
      input.by,
      'reply_sent',
      `${input.document} by ${input.channel}`,
      { action: 'request.reply_sent', details: { document: input.document, channel: input.channel, sent_at: sentAt } },
      () =>
        this.deps.db
          .prepare('INSERT INTO request_replies (request_id, document, sent_at, channel, actor, recorded_at) VALUES (?, ?, ?, ?, ?, ?)')
          .run(input.id, input.document, sentAt, input.channel, input.by, this.deps.now().toISOString()),
    );
    return this.get(input.id);
  }

  /**
   * An act on a request that doesn't move its state (a document written, a note, a reply sent, the
   * processor request's progress): its timeline event and its audit entry, in one transaction.
   */
  recordAct(id: string, by: string, action: string, reason: string | null, audit: { action: string; details: Record<string, unknown> }, also?: () => void): void {
    this.deps.db.transaction(() => {
      this.row(id);
      also?.();
      this.event(id, by, action, null, null, reason);
      this.deps.audit.append({ actor: by, action: audit.action, requestId: id, details: audit.details });
    })();
  }

  /** Zoom answered the processor request (or the DPO closed it): a request that waited for it is completed. */
  processorDone(id: string, by: string, reason: string | null): void {
    if (this.row(id).status !== 'waiting_for_processor') return;
    this.apply(id, 'processor_done', by, 'completed', reason, { closed_at: this.deps.now().toISOString() });
  }

  // ---- machinery ----------------------------------------------------------------------------

  /**
   * After a restore: every request whose erasure the ledger applied again gets it in its timeline and
   * the audit log (request ID and time from the ledger), once.
   */
  noteRestoredErasures(by = 'restore'): number {
    const { db } = this.deps;
    const pending = db
      .prepare(
        `SELECT e.request_id, e.erased_at, e.backup_taken_at, q.status FROM restored_erasures e JOIN requests q ON q.id = e.request_id
         WHERE NOT EXISTS (SELECT 1 FROM request_events v WHERE v.request_id = e.request_id AND v.action = 'erasure_reapplied')`,
      )
      .all() as { request_id: string; erased_at: string; backup_taken_at: string; status: RequestStatus }[];
    db.transaction(() => {
      for (const row of pending) {
        const reason = `Erased at ${row.erased_at}, after the backup of ${row.backup_taken_at} this register was restored from; anonymized again from the erasure ledger. The next job run reads Zoom back.`;
        this.event(row.request_id, by, 'erasure_reapplied', row.status, row.status, reason);
        this.deps.audit.append({ actor: by, action: 'request.erasure_reapplied', requestId: row.request_id, details: { erased_at: row.erased_at, backup_taken_at: row.backup_taken_at } });
      }
    })();
    return pending.length;
  }

  private row(id: string): RequestRow {
    return requestRow(this.deps.db, id);
  }

  private summary(row: RequestRow, rules = this.deps.rules()): z.output<typeof RequestSummary> {
    return summaryOf(row, this.deps.now(), rules);
  }

  private event(id: string, by: string, action: string, from: RequestStatus | null, to: RequestStatus | null, reason: string | null): void {
    this.deps.db
      .prepare('INSERT INTO request_events (request_id, at, actor, action, from_status, to_status, reason) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(id, this.deps.now().toISOString(), by, action, from, to, reason);
  }

  /** One move of a request, refused with the reason when its state doesn't allow it; the request as it now is. */
  private move(id: string, action: RequestAction, by: string, to: RequestStatus, reason: string | null, patch: Patch, details: Record<string, unknown> = {}): Promise<RequestDetail> {
    this.apply(id, action, by, to, reason, patch, details);
    return this.get(id);
  }

  private apply(id: string, action: RequestAction, by: string, to: RequestStatus, reason: string | null, patch: Patch, details: Record<string, unknown> = {}, also?: () => void): void {
    const { db } = this.deps;
    db.transaction(() => {
      const row = this.row(id);
      const refusal = refusalOf(action, row.status, row.held_from);
      if (refusal) throw new AppError('INVALID_STATE', `Request ${id}: ${refusal}.`);
      const columns = Object.keys({ ...patch, status: to });
      const values = Object.values({ ...patch, status: to });
      db.prepare(`UPDATE requests SET ${columns.map((c) => `${c} = ?`).join(', ')} WHERE id = ?`).run(...values, id);
      also?.();
      this.event(id, by, action, row.status, to, reason);
      this.deps.audit.append({ actor: by, action: `request.${action}`, requestId: id, details: { from: row.status, to, ...details } });
    })();
  }
}
