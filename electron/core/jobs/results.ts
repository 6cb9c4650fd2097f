import { eventFields } from '../../../shared/events';
import type { JobRunOutput, Residual } from '../../../shared/jobs';
import type { Db } from '../store/database';
import { journalSteps } from '../store/job-actions';

// What a job's journal says about it: its run row (job_runs: plan notes, residual, package,
// when it resumes), the registrations handed to the processor request, and the result a caller
// sees, step by step.

export interface RunRow {
  notes: string;
  package: string | null;
  residual: string;
  resume_at: string | null;
  planned_from_run: number | null;
  planned_from_at: string | null;
}

export function runRow(db: Db, requestId: string): RunRow | undefined {
  return db.prepare('SELECT notes, residual, resume_at, planned_from_run, planned_from_at, package FROM job_runs WHERE request_id = ?').get(requestId) as RunRow | undefined;
}

/** One registration, whether a journal action, a step or a residual names it. */
export function registrationKey(r: { event_id: string; registrant_id?: string | null }): string {
  return `${r.event_id}:${r.registrant_id}`;
}

/** Steps whose registration Zoom refused to erase, named in the processor request. */
export function handedOver(db: Db, requestId: string): Set<string> {
  const residual = JSON.parse(runRow(db, requestId)?.residual ?? '[]') as Residual[];
  return new Set(residual.filter((r) => r.source === 'registrant').map((r) => registrationKey(r)));
}

export type UnreachableAccount = JobRunOutput['accounts_unreachable'][number];

/**
 * The job's result as its journal holds it: each step's actions and what Zoom answered, the
 * residual, the processor request, the package, and the accounts this run could not reach.
 */
export function jobResult(
  db: Db,
  requestId: string,
  status: JobRunOutput['status'],
  alreadyCompleted: boolean,
  emailOf: (hash: string | null, source: string) => string | null,
  unreachable: UnreachableAccount[] = [],
): JobRunOutput {
  const run = runRow(db, requestId);
  const task = db.prepare('SELECT id, status, letter FROM processor_tasks WHERE request_id = ?').get(requestId) as { id: number; status: string; letter: string } | undefined;
  const handed = handedOver(db, requestId);
  return {
    request_id: requestId,
    status,
    already_completed: alreadyCompleted,
    resume_at: run?.resume_at ?? null,
    steps: journalSteps(db, requestId).map((step) => ({
      ...eventFields(step.event_type, step.event_id, step.account),
      email: emailOf(step.subject_hash, step.source),
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
      handed_to_processor: step.registrant_id !== null && handed.has(registrationKey(step)),
    })),
    residual: run ? JSON.parse(run.residual) : [],
    processor_task: task ?? null,
    package: run?.package ? (JSON.parse(run.package) as { path: string; sha256: string }[]) : null,
    notes: run ? JSON.parse(run.notes) : [],
    planned_from: run?.planned_from_run != null ? { run_id: run.planned_from_run, at: run.planned_from_at! } : null,
    accounts_unreachable: unreachable,
  };
}
