import type { z } from 'zod';
import type { ProcessorTask } from '../../../../shared/jobs';
import type { Db } from '../../store/database';

// Reads of the processor requests to Zoom (Art 28(3)(e)), as tracked in processor_tasks: the
// ones still open, and one request's. The job (jobs/runner.ts) writes them.

type Task = z.output<typeof ProcessorTask>;
const COLUMNS = 'id, request_id, processor, status, letter, created_at, sent_at, due_at, answered_at, outcome';

export function processorTaskOf(db: Db, requestId: string): Task | null {
  return (db.prepare(`SELECT ${COLUMNS} FROM processor_tasks WHERE request_id = ?`).get(requestId) as Task | undefined) ?? null;
}

export function openProcessorTasks(db: Db): Task[] {
  return db.prepare(`SELECT ${COLUMNS} FROM processor_tasks WHERE status <> 'closed' ORDER BY created_at, id`).all() as Task[];
}
