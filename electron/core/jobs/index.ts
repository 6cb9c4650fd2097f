import type { z } from 'zod';
import { normaliseEmail } from '../../../shared/email';
import { AppError } from '../../../shared/errors';
import { planJob, PROCESSOR_TASK_STATUSES, type JobAction, type JobPlan, type JobPlanOutput, type JobRunOutput, type ProcessorTask, type SubjectRecord } from '../../../shared/jobs';
import { REQUEST_ARTICLES, type RequestDetail } from '../../../shared/requests';
import type { Settings } from '../../../shared/settings';
import type { AuditLog } from '../audit';
import { createLogger } from '../log';
import type { RequestRegister } from '../requests';
import type { Db } from '../store/database';
import { findSubject } from '../store/mirror-queries';
import { REGISTRANT_PERSONAL_FIELDS } from '../store/mirror-writer';
import { REPORT_TABLES } from '../store/report-sources';
import type { SuppressionList } from '../store/suppression';
import type { ZoomClient } from '../zoom/client';
import { ZoomApiError, ZoomDailyLimitReached } from '../zoom/errors';
import { REGISTRANT_STATUSES, type ZoomRegistrant } from '../zoom/types';

// Runs a request's job from its journal (job_actions). Local effects and their journal rows share
// one transaction; a remote call is journaled 'intended' before it is sent and 'done' or 'failed'
// after, so a crash at any point leaves a journal that says what is known. A restart reads Zoom
// back for every 'intended' action instead of sending it again: Zoom never gets a second delete.

const log = createLogger('jobs');
const ACTOR = 'job';

type ActionState = 'pending' | 'intended' | 'done' | 'skipped' | 'failed';

interface ActionRow {
  id: number;
  request_id: string;
  step: number;
  webinar_id: string;
  registrant_id: string | null;
  occurrence_id: string | null;
  source: string;
  action: JobAction;
  state: ActionState;
  http_status: number | null;
  zoom_code: number | null;
  message: string | null;
  at: string | null;
}

export interface JobProgress {
  request_id: string;
  done: number;
  total: number;
  action: JobAction | null;
}

export interface JobDeps {
  db: Db;
  audit: AuditLog;
  register: RequestRegister;
  suppression: () => Promise<SuppressionList>;
  client: () => Promise<ZoomClient>;
  settings: () => Settings;
  now: () => Date;
}

/** Stops a run: the job ends `partial` and the next run resumes. */
class StopJob extends Error {
  constructor(
    readonly code: 'ZOOM_DAILY_LIMIT' | 'ZOOM_UNAVAILABLE' | 'CANCELLED',
    message: string,
    readonly resumeAt: string | null = null,
  ) {
    super(message);
  }
}

export class JobRunner {
  constructor(private readonly deps: JobDeps) {}

  /** What the job will do (or, once started, what its journal holds), before anything happens. */
  plan(requestId: string): z.output<typeof JobPlanOutput> {
    const request = this.deps.register.get(requestId);
    const journal = this.journal(requestId);
    if (journal.length > 0) {
      const run = this.deps.db.prepare('SELECT notes, residual FROM job_runs WHERE request_id = ?').get(requestId) as { notes: string; residual: string };
      return { request_id: requestId, steps: this.stepsOf(journal).map(({ actions, ...step }) => ({ ...step, actions: actions.map((a) => a.action) })), residual: JSON.parse(run.residual), notes: JSON.parse(run.notes) };
    }
    const plan = this.freshPlan(request);
    return { request_id: requestId, steps: plan.steps, residual: plan.residual, notes: plan.notes };
  }

  async run(requestId: string, options: { signal?: AbortSignal; onProgress?: (progress: JobProgress) => void } = {}): Promise<JobRunOutput> {
    const { db, register } = this.deps;
    const request = register.get(requestId);
    if (request.status === 'completed') return this.result(requestId, 'completed', true);
    if (request.type === 'rectification' && !request.timeline.some((e) => e.action === 'rectify')) {
      throw new AppError('INVALID_STATE', `Request ${requestId}: record the correction first (\`dsr-desk request rectify ${requestId} --by NAME --set field=value\`); the job then closes it.`);
    }

    // Start (or resume): the plan is written once, with the move to `running`, before any effect.
    db.transaction(() => {
      if (this.journal(requestId).length === 0) this.savePlan(request, this.freshPlan(request));
      if (request.status !== 'running') register.setJobStatus(requestId, 'running', ACTOR);
    })();
    db.prepare('UPDATE job_runs SET resume_at = NULL WHERE request_id = ?').run(requestId);

    const total = this.journal(requestId).length;
    const progress = () => options.onProgress?.({ request_id: requestId, done: this.journal(requestId).filter((a) => a.state === 'done' || a.state === 'skipped').length, total, action: null });
    progress();

    let stop: StopJob | null = null;
    try {
      await this.anonymizeLocally(requestId, request);
      this.collect(requestId);
      progress();
      const client = this.hasRemote(requestId) ? await this.deps.client() : null;
      for (const step of this.stepsOf(this.journal(requestId))) {
        for (const action of step.actions) {
          if (!['cancel', 'delete', 'verify'].includes(action.action) || action.state === 'done' || action.state === 'skipped') continue;
          if (options.signal?.aborted) throw new StopJob('CANCELLED', 'Job cancelled; run it again to resume.');
          await this.remote(client!, action, request);
          progress();
        }
      }
      this.processorTask(requestId);
    } catch (error) {
      if (!(error instanceof StopJob)) {
        this.finish(requestId, 'failed', null);
        throw error;
      }
      stop = error;
    }

    const actions = this.journal(requestId);
    const unfinished = actions.filter((a) => a.state !== 'done' && a.state !== 'skipped');
    const anyVerified = actions.some((a) => a.action === 'verify' && a.state === 'done');
    const status = unfinished.length === 0 ? 'completed' : stop || anyVerified || unfinished.some((a) => a.state !== 'failed') ? 'partial' : 'failed';
    this.finish(requestId, status, stop?.resumeAt ?? null, stop?.message ?? null);
    if (stop?.code === 'CANCELLED') throw new AppError('CANCELLED', stop.message);
    return this.result(requestId, status, false);
  }

  /** Tracks the processor request: sent to Zoom, answered, closed. Each move is audited. */
  updateProcessorTask(input: { id: string; status: (typeof PROCESSOR_TASK_STATUSES)[number]; by: string; note?: string }) {
    const { db } = this.deps;
    const task = db.prepare('SELECT * FROM processor_tasks WHERE request_id = ?').get(input.id) as { id: number; status: string } | undefined;
    if (!task) throw new AppError('NOT_FOUND', `Request ${input.id} has no processor request: its job left nothing with Zoom, or has not run yet.`);
    const order = PROCESSOR_TASK_STATUSES.indexOf(input.status);
    if (order <= PROCESSOR_TASK_STATUSES.indexOf(task.status as (typeof PROCESSOR_TASK_STATUSES)[number])) {
      throw new AppError('INVALID_STATE', `The processor request of ${input.id} is already ${task.status}; it moves forward only (open, sent, answered, closed).`);
    }
    db.transaction(() => {
      db.prepare('UPDATE processor_tasks SET status = ? WHERE id = ?').run(input.status, task.id);
      db.prepare('INSERT INTO request_events (request_id, at, actor, action, from_status, to_status, reason) VALUES (?, ?, ?, ?, NULL, NULL, ?)').run(
        input.id,
        this.deps.now().toISOString(),
        input.by,
        `processor_request_${input.status}`,
        input.note ?? null,
      );
      this.deps.audit.append({ actor: input.by, action: 'job.processor_request_status', requestId: input.id, details: { from: task.status, to: input.status } });
    })();
    return db.prepare('SELECT * FROM processor_tasks WHERE id = ?').get(task.id) as z.output<typeof ProcessorTask>;
  }

  // ---- the steps ------------------------------------------------------------------------------

  private freshPlan(request: RequestDetail): JobPlan {
    if (!request.subject_email) throw new AppError('INVALID_STATE', `Request ${request.id} no longer holds the subject's address (retention purge): there is nothing to run.`);
    const occurrencesOf = this.deps.db.prepare(
      'SELECT o.occurrence_id FROM registrant_occurrences o JOIN registrants r ON r.id = o.registrant_row WHERE r.webinar_id = ? AND r.registrant_id = ? ORDER BY o.occurrence_id',
    );
    const records: SubjectRecord[] = findSubject(this.deps.db, request.subject_email).map((m) => ({
      ...m,
      occurrence_ids: m.source === 'registrant' && m.registrant_id ? (occurrencesOf.pluck().all(m.webinar_id, m.registrant_id) as string[]) : [],
    }));
    return planJob(request.type, records);
  }

  private savePlan(request: RequestDetail, plan: JobPlan): void {
    const { db } = this.deps;
    const insert = db.prepare(
      `INSERT INTO job_actions (request_id, step, webinar_id, registrant_id, occurrence_id, source, action, state) VALUES (?, ?, ?, ?, ?, ?, ?, 'pending')`,
    );
    plan.steps.forEach((step, i) => {
      for (const action of step.actions) insert.run(request.id, i + 1, step.webinar_id, step.registrant_id, step.occurrence_id, step.source, action);
    });
    db.prepare('INSERT INTO job_runs (request_id, planned_at, notes, residual) VALUES (?, ?, ?, ?)').run(request.id, this.deps.now().toISOString(), JSON.stringify(plan.notes), JSON.stringify(plan.residual));
    this.deps.audit.append({ actor: ACTOR, action: 'job.planned', requestId: request.id, details: { steps: plan.steps.length, residual: plan.residual } });
  }

  /**
   * Step 1 of an erasure: every mirrored record of the subject loses its personal fields (nulls:
   * no hashes, no mapping, so nothing is merely pseudonymised) and the subject goes on the
   * suppression list, so no sync brings them back. One transaction with its journal rows.
   */
  private async anonymizeLocally(requestId: string, request: RequestDetail): Promise<void> {
    const pending = this.journal(requestId).filter((a) => a.action === 'anonymize_local' && a.state !== 'done');
    if (pending.length === 0) return;
    const suppression = await this.deps.suppression();
    const { db } = this.deps;
    const email = normaliseEmail(request.subject_email!);
    db.transaction(() => {
      const nulls = [...REGISTRANT_PERSONAL_FIELDS, 'email', 'email_norm'].map((c) => `${c} = NULL`).join(', ');
      const registrants = db.prepare(`UPDATE registrants SET ${nulls}, suppressed = 1 WHERE email_norm = ?`).run(email).changes;
      let records = 0;
      for (const { table, columns, keep } of Object.values(REPORT_TABLES)) {
        const cleared = [...columns.filter((c) => !keep.includes(c)), 'email', 'email_norm'].map((c) => `${c} = NULL`).join(', ');
        records += db.prepare(`UPDATE ${table} SET ${cleared}, suppressed = 1 WHERE email_norm = ?`).run(email).changes;
      }
      suppression.add(email, requestId, this.deps.now());
      const at = this.deps.now().toISOString();
      for (const action of pending) this.setState(action, 'done', { at });
      this.deps.audit.append({ actor: ACTOR, action: 'job.anonymize_local', requestId, details: { registrants, records, suppressed: true } });
    })();
  }

  private collect(requestId: string): void {
    const pending = this.journal(requestId).filter((a) => a.action === 'collect' && a.state !== 'done');
    if (pending.length === 0) return;
    this.deps.db.transaction(() => {
      const at = this.deps.now().toISOString();
      for (const action of pending) this.setState(action, 'done', { at });
      this.deps.audit.append({ actor: ACTOR, action: 'job.collect', requestId, details: { records: pending.length } });
    })();
  }

  private hasRemote(requestId: string): boolean {
    return this.journal(requestId).some((a) => ['cancel', 'delete', 'verify'].includes(a.action) && a.state !== 'done' && a.state !== 'skipped');
  }

  /** One remote action: read back first if an earlier run may have sent it, then send, then record. */
  private async remote(client: ZoomClient, action: ActionRow, request: RequestDetail): Promise<void> {
    const webinarId = action.webinar_id;
    const registrantId = action.registrant_id!;
    const occurrence = action.occurrence_id ?? undefined;
    const current = async (): Promise<ZoomRegistrant | null> => {
      try {
        return await client.getRegistrant(webinarId, registrantId, occurrence);
      } catch (error) {
        if (error instanceof ZoomApiError && error.code === 'ZOOM_REGISTRANT_NOT_FOUND') return null;
        throw error;
      }
    };

    try {
      switch (action.action) {
        case 'cancel': {
          // Read first, whether or not an earlier run sent it: a registration already denied or
          // gone needs no cancel, and each status change counts against Zoom's 10 a day.
          const found = await current();
          if (!found) return this.record(action, 'skipped', null, 'Zoom no longer holds this registration.');
          if (found.status === 'denied') return this.record(action, 'skipped', null, 'Already denied on Zoom: the join link is revoked.');
          this.setState(action, 'intended', { at: this.deps.now().toISOString() });
          await client.updateRegistrantStatus(webinarId, found.status === 'pending' ? 'deny' : 'cancel', [{ id: registrantId }], occurrence);
          return this.record(action, 'done', 204, null);
        }
        case 'delete': {
          if (action.state === 'intended' && (await current()) === null) {
            return this.record(action, 'done', null, 'The earlier run\'s delete reached Zoom: reading back finds no such registrant.', { deleted: true });
          }
          this.setState(action, 'intended', { at: this.deps.now().toISOString() });
          try {
            await client.deleteRegistrant(webinarId, registrantId, occurrence);
            return this.record(action, 'done', 204, null, { deleted: true });
          } catch (error) {
            if (error instanceof ZoomApiError && error.code === 'ZOOM_REGISTRANT_NOT_FOUND' && (await current()) === null) {
              return this.record(action, 'done', error.httpStatus, 'Zoom answered "not found"; reading back confirms it is gone.', { deleted: true, zoomCode: error.zoomCode });
            }
            throw error;
          }
        }
        case 'verify': {
          const found = await current();
          const erasing = request.type === 'erasure';
          if (erasing && found) return this.record(action, 'failed', 200, `Zoom still holds the registration (${found.status}).`);
          if (!erasing && found && found.status !== 'denied') return this.record(action, 'failed', 200, `Zoom still lists the registration as ${found.status}.`);
          const listedAs = await this.listedStatuses(client, webinarId, occurrence, request.subject_email!);
          const unexpected = erasing ? listedAs : listedAs.filter((s) => s !== 'denied');
          if (unexpected.length > 0) return this.record(action, 'failed', 200, `The address is still in Zoom's ${unexpected.join(', ')} list.`);
          return this.record(action, 'done', erasing ? 400 : 200, erasing ? 'Gone: Zoom answers "registrant does not exist" and the address is in none of its three lists.' : 'Cancelled: Zoom lists it as denied.', {
            zoomCode: erasing ? 3079 : null,
          });
        }
        default:
          throw new Error(`not a remote action: ${action.action}`);
      }
    } catch (error) {
      if (error instanceof ZoomDailyLimitReached) {
        // Refused before anything happened: the action waits for the next run.
        this.setState(action, 'pending', { http_status: 429, zoom_code: error.zoomCode, message: error.message });
        throw new StopJob('ZOOM_DAILY_LIMIT', error.message, error.resumeAt.toISOString());
      }
      if (error instanceof ZoomApiError && error.httpStatus === null) {
        // No answer: the call may or may not have reached Zoom. Left 'intended' for the next run to read back.
        this.deps.db.prepare('UPDATE job_actions SET message = ? WHERE id = ?').run(error.message, action.id);
        throw new StopJob('ZOOM_UNAVAILABLE', error.message);
      }
      if (error instanceof ZoomApiError) return this.record(action, 'failed', error.httpStatus, error.message, { zoomCode: error.zoomCode });
      throw error;
    }
  }

  /** Which of Zoom's three lists (of this occurrence) hold the address. */
  private async listedStatuses(client: ZoomClient, webinarId: string, occurrence: string | undefined, email: string): Promise<string[]> {
    const wanted = normaliseEmail(email);
    const found: string[] = [];
    for (const status of REGISTRANT_STATUSES) {
      for await (const page of client.listRegistrants(webinarId, status, occurrence)) {
        if (page.items.some((r) => normaliseEmail(r.email) === wanted)) {
          found.push(status);
          break;
        }
      }
    }
    return found;
  }

  /** Residual records become one tracked processor request, with the letter to send. */
  private processorTask(requestId: string): void {
    const { db } = this.deps;
    const run = db.prepare('SELECT residual FROM job_runs WHERE request_id = ?').get(requestId) as { residual: string };
    const residual = JSON.parse(run.residual) as JobPlan['residual'];
    if (residual.length === 0 || db.prepare('SELECT 1 FROM processor_tasks WHERE request_id = ?').get(requestId)) return;
    db.transaction(() => {
      db.prepare(`INSERT INTO processor_tasks (request_id, processor, status, letter, created_at) VALUES (?, 'Zoom', 'open', ?, ?)`).run(
        requestId,
        processorLetter(requestId, residual, this.deps.settings()),
        this.deps.now().toISOString(),
      );
      this.deps.audit.append({ actor: ACTOR, action: 'job.processor_request', requestId, details: { residual } });
    })();
  }

  private finish(requestId: string, status: 'completed' | 'partial' | 'failed', resumeAt: string | null, reason: string | null = null): void {
    this.deps.db.transaction(() => {
      this.deps.db.prepare('UPDATE job_runs SET resume_at = ? WHERE request_id = ?').run(resumeAt, requestId);
      this.deps.register.setJobStatus(requestId, status, ACTOR, reason ?? (resumeAt ? `resumes after ${resumeAt}` : null));
    })();
    log.info('job ended', { request: requestId, status });
  }

  // ---- the journal ----------------------------------------------------------------------------

  private journal(requestId: string): ActionRow[] {
    return this.deps.db.prepare('SELECT * FROM job_actions WHERE request_id = ? ORDER BY step, id').all(requestId) as ActionRow[];
  }

  private setState(action: ActionRow, state: ActionState, fields: { at?: string; http_status?: number | null; zoom_code?: number | null; message?: string | null } = {}): void {
    this.deps.db
      .prepare('UPDATE job_actions SET state = ?, at = coalesce(?, at), http_status = ?, zoom_code = ?, message = ? WHERE id = ?')
      .run(state, fields.at ?? null, fields.http_status ?? null, fields.zoom_code ?? null, fields.message ?? null, action.id);
    action.state = state;
  }

  /** The outcome of a remote action, its audit entry and (for a delete) the mirror's note of it, in one transaction. */
  private record(action: ActionRow, state: 'done' | 'skipped' | 'failed', httpStatus: number | null, message: string | null, extra: { deleted?: boolean; zoomCode?: number | null } = {}): void {
    const at = this.deps.now().toISOString();
    this.deps.db.transaction(() => {
      this.setState(action, state, { at, http_status: httpStatus, zoom_code: extra.zoomCode ?? null, message });
      if (extra.deleted) {
        // The next sync then classifies its absence as deleted_by_request.
        this.deps.db.prepare('UPDATE registrants SET deleted_by_request = ? WHERE webinar_id = ? AND registrant_id = ?').run(action.request_id, action.webinar_id, action.registrant_id);
      }
      this.deps.audit.append({
        actor: ACTOR,
        action: `job.${action.action}`,
        requestId: action.request_id,
        details: { webinar_id: action.webinar_id, registrant_id: action.registrant_id, occurrence_id: action.occurrence_id, result: state, http_status: httpStatus, zoom_code: extra.zoomCode ?? null },
      });
    })();
  }

  private stepsOf(journal: ActionRow[]) {
    const steps = new Map<number, { webinar_id: string; registrant_id: string | null; occurrence_id: string | null; source: string; actions: ActionRow[] }>();
    for (const a of journal) {
      const step = steps.get(a.step) ?? { webinar_id: a.webinar_id, registrant_id: a.registrant_id, occurrence_id: a.occurrence_id, source: a.source, actions: [] };
      step.actions.push(a);
      steps.set(a.step, step);
    }
    return [...steps.values()];
  }

  private result(requestId: string, status: JobRunOutput['status'], alreadyCompleted: boolean): JobRunOutput {
    const { db } = this.deps;
    const run = db.prepare('SELECT notes, residual, resume_at FROM job_runs WHERE request_id = ?').get(requestId) as { notes: string; residual: string; resume_at: string | null } | undefined;
    const task = db.prepare('SELECT id, status, letter FROM processor_tasks WHERE request_id = ?').get(requestId) as { id: number; status: string; letter: string } | undefined;
    return {
      request_id: requestId,
      status,
      already_completed: alreadyCompleted,
      resume_at: run?.resume_at ?? null,
      steps: this.stepsOf(this.journal(requestId)).map((step) => ({
        webinar_id: step.webinar_id,
        registrant_id: step.registrant_id,
        occurrence_id: step.occurrence_id,
        source: step.source,
        actions: step.actions.map((a) => ({
          action: a.action,
          result: a.state === 'intended' ? 'unknown' : a.state,
          http_status: a.http_status,
          zoom_code: a.zoom_code,
          message: a.message,
          at: a.at,
        })),
        verified: step.actions.some((a) => a.action === 'verify' && a.state === 'done'),
      })),
      residual: run ? JSON.parse(run.residual) : [],
      processor_task: task ?? null,
      notes: run ? JSON.parse(run.notes) : [],
    };
  }
}

const SOURCE_WORDS: Record<string, string> = {
  participant: 'attendance (participant report) records',
  absentee: 'absentee records',
  qa: 'Q&A entries',
  poll: 'poll answers',
  survey: 'survey answers',
  panelist: 'panelist entries',
};

/** The processor request for what Zoom's API can't erase. The address itself goes separately, not into a stored letter. */
export function processorLetter(requestId: string, residual: JobPlan['residual'], settings: Settings): string {
  const controller = settings.organisation_name ?? '[organisation]';
  return [
    'To: Zoom Video Communications, Inc., Privacy team',
    `From: ${controller}${settings.dpo_email ? `, Data Protection Officer <${settings.dpo_email}>` : ''}`,
    `Subject: Erasure request ${requestId} (GDPR ${REQUEST_ARTICLES.erasure}): records your API cannot erase`,
    '',
    `${controller} is the controller of the webinars below, and Zoom processes their data on our behalf. We received an erasure`,
    'request from a data subject and have erased what your API allows (their registrations). The records below remain with Zoom',
    'and your API offers no way to erase them. Under Article 28(3)(e) GDPR and our data processing agreement, please erase them',
    'and confirm in writing when it is done, so that we can meet our own duties under Articles 12(3), 17 and 19.',
    '',
    ...residual.map((r) => `- Webinar ${r.webinar_id}: ${r.records} ${SOURCE_WORDS[r.source] ?? r.source}`),
    '',
    `The data subject's email address will be sent to you separately, quoting ${requestId}; please do not keep it beyond this request.`,
  ].join('\n');
}
