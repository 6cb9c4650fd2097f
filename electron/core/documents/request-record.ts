import type { Residual } from '../../../shared/jobs';
import type { RequestDetail } from '../../../shared/requests';
import type { AuditRow } from '../audit';
import type { Db } from '../store/database';
import { journalSteps, type JournalStep } from '../store/job-actions';

// Everything the register, the job journal and the audit log hold of one request, read once for
// the documents that show it. Nothing here is derived from a constant: statuses, codes and times
// are the ones recorded when Zoom answered.

export interface SyncRunRow {
  id: number;
  mode: string;
  status: string;
  started_at: string;
  finished_at: string | null;
}

export interface ProcessorTaskRecord {
  status: string;
  created_at: string;
  sent_at: string | null;
  due_at: string | null;
  answered_at: string | null;
  outcome: 'erased' | 'refused' | 'partial' | null;
  letter: string;
  history: { at: string; by: string; action: string; reason: string | null }[];
}

export interface RequestRecord {
  request: RequestDetail;
  run: { planned_at: string; notes: string[]; residual: Residual[]; planned_from: SyncRunRow | null; package: { path: string; sha256: string }[] | null } | null;
  steps: JournalStep[];
  /** The audit entries of this request, in order, details parsed. */
  audit: (Omit<AuditRow, 'details'> & { details: Record<string, unknown> })[];
  processor: ProcessorTaskRecord | null;
}

/** Who ran the job that prepared the processor request (its audit entry names them). */
function preparedBy(db: Db, requestId: string): string {
  return (db.prepare(`SELECT actor FROM audit_log WHERE request_id = ? AND action = 'job.processor_request' ORDER BY seq LIMIT 1`).pluck().get(requestId) as string | undefined) ?? '–';
}

export function readRequestRecord(db: Db, request: RequestDetail): RequestRecord {
  const runRow = db.prepare('SELECT planned_at, notes, residual, planned_from_run, package FROM job_runs WHERE request_id = ?').get(request.id) as
    { planned_at: string; notes: string; residual: string; planned_from_run: number | null; package: string | null } | undefined;
  const planned_from =
    runRow?.planned_from_run != null ? (db.prepare('SELECT id, mode, status, started_at, finished_at FROM sync_runs WHERE id = ?').get(runRow.planned_from_run) as SyncRunRow) : null;
  const task = db.prepare('SELECT status, created_at, sent_at, due_at, answered_at, outcome, letter FROM processor_tasks WHERE request_id = ?').get(request.id) as
    Omit<ProcessorTaskRecord, 'history'> | undefined;
  const history = db
    .prepare(`SELECT at, actor AS "by", action, reason FROM request_events WHERE request_id = ? AND action LIKE 'processor_request_%' ORDER BY id`)
    .all(request.id) as ProcessorTaskRecord['history'];
  const audit = (db.prepare('SELECT * FROM audit_log WHERE request_id = ? ORDER BY seq').all(request.id) as AuditRow[]).map((row) => ({
    ...row,
    details: JSON.parse(row.details) as Record<string, unknown>,
  }));
  return {
    request,
    run: runRow
      ? { planned_at: runRow.planned_at, notes: JSON.parse(runRow.notes), residual: JSON.parse(runRow.residual), planned_from, package: runRow.package ? JSON.parse(runRow.package) : null }
      : null,
    steps: journalSteps(db, request.id),
    audit,
    processor: task ? { ...task, history: [{ at: task.created_at, by: preparedBy(db, request.id), action: 'processor_request_open', reason: null }, ...history] } : null,
  };
}
