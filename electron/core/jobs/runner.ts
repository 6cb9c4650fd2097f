import { kindOfEvent } from '../store/event-kinds';
import { eventFields, type EventKind } from '../../../shared/events';
import type { z } from 'zod';
import { AppError } from '../../../shared/errors';
import { registrationSteps, PROCESSOR_TASK_STATUSES, type ProcessorTaskUpdate, type JobPlanOutput, type JobProgress, type JobRunOutput, type ProcessorTask, type Residual } from '../../../shared/jobs';
import { refusalOf, type Acting, type RequestDetail } from '../../../shared/requests';
import type { Settings } from '../../../shared/settings';
import type { AuditLog } from '../audit';
import { processorLetter } from '../documents/processor-request/letter';
import { processorTaskOf } from '../documents/processor-request/tasks';
import { createLogger } from '../log';
import type { RequestRegister } from '../requests/register';
import type { Db } from '../store/database';
import type { ActionRow } from '../store/job-actions';
import { acquireLease, describeHolder } from '../store/leases';
import type { SuppressionList } from '../store/suppression';
import type { ZoomClient } from '../zoom/client';
import { checkpointAfterErasure, eraseSubjectFromMirror } from './anonymize';
import { Journal, journalWrite } from './journal';
import { addressBook, freshPlan, insertSteps, planBasis, savePlan, staleness } from './plans';
import { RemoteProtocol, StopJob } from './remote';
import { handedOver, jobResult, registrationKey, runRow, type UnreachableAccount } from './results';

// Runs a request's job from its journal: plan once (plans.ts: from a mirror no older than the
// request), erase the mirror's copy, then act on Zoom one action at a time (remote.ts), and hand
// what Zoom keeps to a processor request; results.ts reads back what the journal holds. One runner
// per job across processes (a lease in the database).

const log = createLogger('jobs');
const REMOTE_ACTIONS = new Set(['cancel', 'delete', 'verify']);
const settled = (a: ActionRow) => a.state === 'done' || a.state === 'skipped';

export type { JobProgress };

/** An account whose credentials failed the job (gone from the keychain, or refused by Zoom). */
function accountRefusal(error: unknown, account: string): UnreachableAccount | null {
  if (error instanceof StopJob && error.code === 'ZOOM_REFUSED') return { account, code: error.zoomError ?? error.code, message: error.message };
  if (error instanceof AppError && error.code === 'ZOOM_NOT_CONNECTED') return { account, code: error.code, message: `Zoom account "${account}": ${error.message}` };
  return null;
}
type ProcessorStatus = (typeof PROCESSOR_TASK_STATUSES)[number];

export interface RunOptions {
  /** Who runs the job: its acts on Zoom and in the register are recorded under this name. */
  by: string;
  signal?: AbortSignal;
  onProgress?: (progress: JobProgress) => void;
}

export interface JobDeps {
  db: Db;
  audit: AuditLog;
  register: RequestRegister;
  suppression: () => Promise<SuppressionList>;
  /** The client of one Zoom account (a step's actions go to the account hosting its event). */
  client: (account: string) => Promise<ZoomClient>;
  settings: () => Settings;
  now: () => Date;
  /** Writes the access or portability package (the job doesn't complete without it); returns its files. */
  writePackage: (requestId: string, by: string) => Promise<{ dir: string; files: { path: string; sha256: string }[] }>;
  /** Brings the mirror up to date before a plan is made (an incremental sync, with its own lease and progress). */
  syncMirror: (signal?: AbortSignal) => Promise<void>;
}

export class JobRunner {
  private readonly journal: Journal;

  constructor(private readonly deps: JobDeps) {
    this.journal = new Journal(deps.db, deps.audit, deps.now);
  }

  /** What the job will do (or, once started, what its journal holds), before anything happens. */
  async plan(requestId: string): Promise<z.output<typeof JobPlanOutput>> {
    const request = await this.deps.register.get(requestId);
    const run = runRow(this.deps.db, requestId);
    if (run) {
      return {
        request_id: requestId,
        steps: this.journal.steps(requestId).map(({ actions, step: _step, subject_hash, ...step }) => ({
          ...step,
          email: addressBook(request).emailOf(subject_hash, step.source),
          actions: actions.map((a) => a.action),
        })),
        residual: JSON.parse(run.residual),
        notes: JSON.parse(run.notes),
      };
    }
    const basis = planBasis(this.deps.db);
    const plan = freshPlan(this.deps.db, request, basis);
    const stale = staleness(request, basis);
    return { request_id: requestId, steps: plan.steps, residual: plan.residual, notes: stale ? [...plan.notes, `${stale} The job syncs first, so this preview may grow.`] : plan.notes };
  }

  async run(requestId: string, options: RunOptions): Promise<JobRunOutput> {
    const { db, register } = this.deps;
    const lease = acquireLease(
      db,
      `job:${requestId}`,
      this.deps.now,
      (holder) =>
        new AppError(
          'JOB_RUNNING',
          `The job of ${requestId} is already running ${describeHolder(holder)}. Wait for it to finish (a process that died is taken over within a minute), then run it again.`,
        ),
    );
    try {
      return await this.runLeased(requestId, options);
    } finally {
      lease.release();
    }
  }

  private async runLeased(requestId: string, options: RunOptions): Promise<JobRunOutput> {
    const { db, register } = this.deps;
    const { by } = options;
    const journal = this.journal.by(by);
    let request = await register.get(requestId);
    // The job of a request waiting for Zoom's answer is done: only the processor request is open.
    if (request.status === 'completed' || request.status === 'waiting_for_processor') return jobResult(db, requestId, 'completed', true, addressBook(request).emailOf);
    if (request.type === 'rectification' && !request.timeline.some((e) => e.action === 'rectify')) {
      throw new AppError('INVALID_STATE', `Request ${requestId}: the correction is not recorded yet; the job closes the request once it is.`, { action: 'rectify', request_id: requestId });
    }

    // Start (or resume): the plan is written once, with the move to `running`, before any effect,
    // and only from a mirror synced after the request arrived.
    if (!runRow(db, requestId)) {
      const refusal = refusalOf('start_job', request.status);
      if (refusal) throw new AppError('INVALID_STATE', `Request ${requestId}: ${refusal}.`);
      if (staleness(request, planBasis(db)) && request.type !== 'rectification') await this.deps.syncMirror(options.signal);
      const basis = planBasis(db);
      db.transaction(() => {
        savePlan(this.deps, request, freshPlan(db, request, basis), basis, by);
        register.setJobStatus(requestId, 'running', by);
      })();
    } else if (request.status !== 'running') {
      register.setJobStatus(requestId, 'running', by);
    }
    db.prepare('UPDATE job_runs SET resume_at = NULL WHERE request_id = ?').run(requestId);
    request = await register.get(requestId);

    const progress = (action: ActionRow['action'] | null = null) => {
      const actions = this.journal.actions(requestId);
      options.onProgress?.({ request_id: requestId, done: actions.filter(settled).length, total: actions.length, action });
    };
    progress();

    let stop: StopJob | null = null;
    const unreachable = new Map<string, UnreachableAccount>();
    try {
      await this.eraseLocally(request, by);
      await this.collect(request, by);
      progress();
      // Each open remote action once per run, in journal order (a registration Zoom refused to
      // delete is still read back, for the record); a sweep may add steps as it goes.
      const tried = new Set<number>();
      // One protocol per Zoom account (its own client and limits). An account whose credentials fail
      // is set aside for this run, its actions left open, while the other accounts' go on.
      const protocols = new Map<string, RemoteProtocol>();
      for (;;) {
        const next = this.journal.actions(requestId).find((a) => REMOTE_ACTIONS.has(a.action) && !settled(a) && !tried.has(a.id) && !unreachable.has(a.account));
        if (!next) break;
        if (options.signal?.aborted) throw new StopJob('CANCELLED', 'Job cancelled; run it again to resume.');
        tried.add(next.id);
        try {
          let protocol = protocols.get(next.account);
          if (!protocol) {
            protocol = this.remote(await this.deps.client(next.account), next.account, request, journal);
            protocols.set(next.account, protocol);
          }
          await protocol.run(next);
        } catch (error) {
          const refusal = accountRefusal(error, next.account);
          if (!refusal) throw error;
          unreachable.set(next.account, refusal);
          log.warn('a Zoom account refused the job its credentials; its actions wait for the next run', { account: next.account, code: refusal.code });
        }
        progress(next.action);
      }
      if (request.type === 'erasure') this.processorTask(requestId, by);
    } catch (error) {
      if (!(error instanceof StopJob)) {
        this.finish(requestId, 'failed', by, null);
        throw error;
      }
      stop = error;
    }

    if (!stop && unreachable.size > 0) {
      const named = [...unreachable.values()].map((u) => `${u.message} [${u.code}]`).join(' ');
      stop = new StopJob('ZOOM_REFUSED', `${named} Its steps wait: connect it again (\`connect --name …\`), then run the job again to resume.`);
    }
    const handed = handedOver(db, requestId);
    const actions = this.journal.actions(requestId);
    const open = actions.filter((a) => !settled(a) && !handed.has(registrationKey(a)));
    const anyVerified = actions.some((a) => a.action === 'verify' && a.state === 'done');
    const status = open.length === 0 ? 'completed' : stop || anyVerified || open.some((a) => a.state !== 'failed') ? 'partial' : 'failed';
    // Done here, but Zoom still holds what its API can't erase: the request waits for its answer.
    const waits = status === 'completed' && this.processorOpen(requestId);
    this.finish(requestId, waits ? 'waiting_for_processor' : status, by, stop?.resumeAt ?? null, stop?.message ?? null);
    if (stop?.code === 'CANCELLED') throw new AppError('CANCELLED', stop.message);
    return jobResult(db, requestId, status, false, addressBook(request).emailOf, [...unreachable.values()]);
  }

  /**
   * Tracks the processor request: sent to Zoom (when it must answer follows from the settings),
   * answered (erased, refused or partial), closed. Each move is in the timeline and the audit log.
   * Zoom's answer "erased" closes it and completes the request that waited for it; after a refusal
   * or a partial answer the DPO closes it once they have followed up, and that completes the request.
   */
  updateProcessorTask(input: Acting<z.output<typeof ProcessorTaskUpdate>>): z.output<typeof ProcessorTask> {
    const { db } = this.deps;
    const task = db.prepare('SELECT id, status, created_at, sent_at FROM processor_tasks WHERE request_id = ?').get(input.id) as
      { id: number; status: ProcessorStatus; created_at: string; sent_at: string | null } | undefined;
    if (!task) throw new AppError('NOT_FOUND', `Request ${input.id} has no processor request: its job left nothing with Zoom, or has not run yet.`);
    if (PROCESSOR_TASK_STATUSES.indexOf(input.status) <= PROCESSOR_TASK_STATUSES.indexOf(task.status)) {
      throw new AppError('INVALID_STATE', `The processor request of ${input.id} is already ${task.status}; it moves forward only (open, sent, answered, closed).`);
    }
    const now = this.deps.now();
    const at = input.at ? new Date(input.at) : now;
    if (at.getTime() > now.getTime() + 60_000) throw new AppError('INVALID_INPUT', '--at lies in the future: record it once it has happened.');
    if (at.toISOString() < (task.sent_at ?? task.created_at))
      throw new AppError('INVALID_INPUT', `--at is before the processor request was ${task.sent_at ? 'sent' : 'prepared'} (${task.sent_at ?? task.created_at}).`);
    const when = at.toISOString();
    const closes = input.status === 'closed' || input.outcome === 'erased';
    const to: ProcessorStatus = closes ? 'closed' : input.status;
    const patch: Record<string, string> =
      input.status === 'sent'
        ? { sent_at: when, due_at: new Date(at.getTime() + this.deps.settings().processor_reply_days * 86_400_000).toISOString() }
        : input.status === 'answered'
          ? { answered_at: when, outcome: input.outcome! }
          : {};
    const reason = [input.outcome ? `Zoom answered: ${input.outcome}` : null, input.note ?? null].filter(Boolean).join('; ') || null;
    db.transaction(() => {
      this.deps.register.recordAct(
        input.id,
        input.by,
        `processor_request_${input.status}`,
        reason,
        { action: 'job.processor_request_status', details: { from: task.status, to, at: when, ...patch } },
        () =>
          db
            .prepare(
              `UPDATE processor_tasks SET status = ?${Object.keys(patch)
                .map((k) => `, ${k} = ?`)
                .join('')} WHERE id = ?`,
            )
            .run(to, ...Object.values(patch), task.id),
      );
      if (closes) this.deps.register.processorDone(input.id, input.by, input.outcome === 'erased' ? 'Zoom confirmed the erasure of what its API could not erase' : 'the processor request is closed');
    })();
    return processorTaskOf(db, input.id)!;
  }

  // ---- the steps ------------------------------------------------------------------------------

  private remote(client: ZoomClient, account: string, request: RequestDetail, journal: Journal): RemoteProtocol {
    const { db } = this.deps;
    return new RemoteProtocol({
      client,
      account,
      journal,
      request,
      handOver: (residual) => this.updateResidual(request.id, (all) => [...all.filter((r) => !(r.source === 'registrant' && registrationKey(r) === registrationKey(residual))), residual]),
      kindOf: (eventId) => kindOfEvent(db, eventId),
      knownRegistrants: (webinarId) =>
        new Set(db.prepare("SELECT registrant_id FROM job_actions WHERE request_id = ? AND event_id = ? AND source = 'registrant'").pluck().all(request.id, webinarId) as string[]),
      addRegistration: (kind, webinarId, registrantId, status, occurrenceId, email) => {
        const listed = status === 'approved' || status === 'pending' || status === 'denied' ? status : null;
        const steps = registrationSteps(request.type, {
          email,
          source: 'registrant',
          ...eventFields(kind, webinarId),
          registrant_id: registrantId,
          status: listed,
          present: true,
          gone_kind: null,
          occurrence_ids: occurrenceId ? [occurrenceId] : [],
        })
          // The mirror holds nothing of it to anonymize: it was made after the plan's sync.
          .map((s) => ({ ...s, actions: s.actions.filter((a) => a !== 'anonymize_local') }));
        steps.push({ ...eventFields(kind, webinarId), email: null, registrant_id: null, occurrence_id: occurrenceId, source: 'lists', actions: ['verify'] });
        journalWrite(() =>
          db.transaction(() => {
            insertSteps(db, request.id, steps, addressBook(request).hashOf);
            if (request.type === 'erasure' && listed !== 'denied') this.updateResidual(request.id, (all) => addBlocked(all, kind, webinarId));
            this.deps.audit.append({
              actor: journal.actor,
              action: 'job.registration_found',
              requestId: request.id,
              details: { ...eventFields(kind, webinarId), registrant_id: registrantId, status },
            });
          })(),
        );
      },
    });
  }

  /**
   * Step 1 of an erasure: the mirror's copy erased (anonymize.ts) and the subject on the
   * suppression list, in one transaction with its journal rows; then the WAL is truncated so no
   * old page survives on disk.
   */
  private async eraseLocally(request: RequestDetail, by: string): Promise<void> {
    const pending = this.journal.actions(request.id).filter((a) => a.action === 'anonymize_local' && a.state !== 'done');
    if (pending.length === 0) return;
    const suppression = await this.deps.suppression();
    const { db } = this.deps;
    const erased = journalWrite(() =>
      db.transaction(() => {
        // Every address of the person is suppressed and erased, not only the first.
        const counts = { addresses: 0, registrants: 0, records: 0, guests: 0, mentions: 0 };
        for (const address of request.addresses) {
          if (address.email === null) continue;
          const hash = suppression.add(address.email, request.id, this.deps.now());
          const { names, ...erased } = eraseSubjectFromMirror(db, address.email, hash);
          suppression.addNames(hash, names);
          counts.addresses++;
          for (const key of ['registrants', 'records', 'guests', 'mentions'] as const) counts[key] += erased[key];
        }
        const at = this.deps.now().toISOString();
        for (const action of pending) this.journal.setState(action, 'done', { at });
        this.deps.audit.append({ actor: by, action: 'job.anonymize_local', requestId: request.id, details: { ...counts, suppressed: true } });
        return counts;
      })(),
    );
    const checkpointed = checkpointAfterErasure(db);
    log.info("erased the mirror's copy", { request: request.id, ...erased, wal_truncated: checkpointed });
  }

  /**
   * Access and portability: the package for the subject is written (exports/ in the data folder),
   * then its files' hashes and the collected rows are journaled in one transaction. A crash between
   * the two writes the package again on resume.
   */
  private async collect(request: RequestDetail, by: string): Promise<void> {
    if (request.type !== 'access' && request.type !== 'portability') return;
    const run = this.deps.db.prepare('SELECT package FROM job_runs WHERE request_id = ?').get(request.id) as { package: string | null };
    if (run.package !== null) return;
    const written = await this.deps.writePackage(request.id, by);
    const pending = this.journal.actions(request.id).filter((a) => a.action === 'collect' && a.state !== 'done');
    journalWrite(() =>
      this.deps.db.transaction(() => {
        const at = this.deps.now().toISOString();
        for (const action of pending) this.journal.setState(action, 'done', { at });
        this.deps.db.prepare('UPDATE job_runs SET package = ? WHERE request_id = ?').run(JSON.stringify(written.files), request.id);
        this.deps.audit.append({ actor: by, action: 'job.collect', requestId: request.id, details: { records: pending.length, files: written.files.length } });
      })(),
    );
  }

  private updateResidual(requestId: string, change: (residual: Residual[]) => Residual[]): void {
    const residual = change(JSON.parse(runRow(this.deps.db, requestId)!.residual) as Residual[]);
    this.deps.db.prepare('UPDATE job_runs SET residual = ? WHERE request_id = ?').run(JSON.stringify(residual), requestId);
  }

  /** What stays with Zoom becomes one tracked processor request, with the letter to send; an open one follows the residual. */
  private processorTask(requestId: string, by: string): void {
    const { db } = this.deps;
    const residual = JSON.parse(runRow(db, requestId)!.residual) as Residual[];
    const letter = processorLetter(requestId, residual, this.deps.settings());
    const task = db.prepare('SELECT id, status, letter FROM processor_tasks WHERE request_id = ?').get(requestId) as { id: number; status: string; letter: string } | undefined;
    if (task && (task.status !== 'open' || task.letter === letter)) return;
    journalWrite(() =>
      db.transaction(() => {
        if (task) db.prepare('UPDATE processor_tasks SET letter = ? WHERE id = ?').run(letter, task.id);
        else db.prepare(`INSERT INTO processor_tasks (request_id, processor, status, letter, created_at) VALUES (?, 'Zoom', 'open', ?, ?)`).run(requestId, letter, this.deps.now().toISOString());
        this.deps.audit.append({ actor: by, action: 'job.processor_request', requestId, details: { residual } });
      })(),
    );
  }

  private finish(requestId: string, status: 'completed' | 'partial' | 'failed' | 'waiting_for_processor', by: string, resumeAt: string | null, reason: string | null = null): void {
    journalWrite(() =>
      this.deps.db.transaction(() => {
        this.deps.db.prepare('UPDATE job_runs SET resume_at = ? WHERE request_id = ?').run(resumeAt, requestId);
        this.deps.register.setJobStatus(requestId, status, by, reason ?? (resumeAt ? `resumes after ${resumeAt}` : null));
      })(),
    );
    log.info('job ended', { request: requestId, status });
  }

  private processorOpen(requestId: string): boolean {
    return this.deps.db.prepare(`SELECT 1 FROM processor_tasks WHERE request_id = ? AND status <> 'closed'`).get(requestId) !== undefined;
  }

  /** The journal's account of the job as it stands (for the window after a reload); null before it first ran. */
  lastResult(request: RequestDetail): JobRunOutput | null {
    if (!runRow(this.deps.db, request.id)) return null;
    const status = request.status === 'completed' || request.status === 'waiting_for_processor' ? 'completed' : request.status === 'failed' ? 'failed' : 'partial';
    return jobResult(this.deps.db, request.id, status, false, addressBook(request).emailOf);
  }
}

function addBlocked(residual: Residual[], kind: EventKind, eventId: string): Residual[] {
  const existing = residual.find((r) => r.source === 'blocked_list' && r.event_id === eventId);
  if (existing) return residual.map((r) => (r === existing ? { ...r, records: r.records + 1 } : r));
  return [...residual, { source: 'blocked_list', ...eventFields(kind, eventId), records: 1 }];
}
