import { AppError } from '../../../shared/errors';
import { planJob, type JobPlan, type PlanBasis, type PlannedStep } from '../../../shared/jobs';
import type { RequestDetail } from '../../../shared/requests';
import type { AuditLog } from '../audit';
import type { Db } from '../store/database';
import { connectedAccountNames } from '../store/accounts';
import { accountOfEvent } from '../store/event-kinds';
import { subjectRecords } from '../store/mirror-queries';
import { lastCompletedAccountRun } from '../sync/runs';

// A job's plan: made from the last completed sync of the whole account (its basis), refused as
// stale when that sync began before the request arrived, and written once to the journal
// (job_runs and its steps in job_actions) before anything acts on it.

/**
 * What a plan is made from: the last completed whole-account sync of every connected account (the
 * newest run's ID, the oldest one's start, which the staleness check holds against the request);
 * null while one of them was never synced.
 */
export function planBasis(db: Db): PlanBasis | null {
  const names = connectedAccountNames(db);
  const runs = names.length > 0 ? names.map((name) => lastCompletedAccountRun(db, name)) : [lastCompletedAccountRun(db)];
  if (runs.some((run) => run === undefined)) return null;
  const oldest = runs.reduce((a, b) => (a!.started_at <= b!.started_at ? a : b))!;
  return { run_id: Math.max(...runs.map((run) => run!.id)), at: oldest.started_at };
}

/** Why the mirror is too old to plan this request from, or null when it is not. */
export function staleness(request: RequestDetail, basis: PlanBasis | null): string | null {
  if (!basis) return 'The mirror was never synced with Zoom.';
  if (Date.parse(basis.at) < Date.parse(request.received_at)) return `The last sync (${basis.run_id}, started ${basis.at}) began before the request arrived (${request.received_at}).`;
  return null;
}

/** The plan the mirror gives for this request now (not yet written anywhere): every address of the person, each record naming its own. */
export function freshPlan(db: Db, request: RequestDetail, basis: PlanBasis | null): JobPlan {
  const held = request.addresses.filter((a): a is typeof a & { email: string } => a.email !== null);
  if (held.length === 0) throw new AppError('INVALID_STATE', `Request ${request.id} no longer holds the subject's address (retention purge): there is nothing to run.`);
  return planJob(
    request.type,
    held.flatMap((a) => subjectRecords(db, a.email, a.subject_hash).map((r) => ({ ...r, email: a.email }))),
    basis,
  );
}

/**
 * Which address a journal row acts for: the keyed hash stored with it, shown as the address (masked
 * once purged); a row from before several addresses (no hash) is the first address's.
 */
export function addressBook(request: RequestDetail): { hashOf: (email: string | null) => string | null; emailOf: (hash: string | null, source: string) => string | null } {
  const byHash = new Map(request.addresses.map((a) => [a.subject_hash, a.email ?? a.masked]));
  const byEmail = new Map(request.addresses.flatMap((a) => (a.email ? [[a.email, a.subject_hash] as const] : [])));
  const first = request.addresses[0];
  return {
    hashOf: (email) => (email === null ? null : (byEmail.get(email) ?? null)),
    emailOf: (hash, source) => (hash !== null ? (byHash.get(hash) ?? null) : source === 'lists' || !first ? null : (first.email ?? first.masked)),
  };
}

/** Writes the plan into the journal, its steps and its run row, and audits it (inside the caller's transaction). */
export function savePlan(deps: { db: Db; audit: AuditLog; now: () => Date }, request: RequestDetail, plan: JobPlan, basis: PlanBasis | null, by: string): void {
  const { db } = deps;
  insertSteps(db, request.id, plan.steps, addressBook(request).hashOf);
  db.prepare('INSERT INTO job_runs (request_id, planned_at, notes, residual, planned_from_run, planned_from_at) VALUES (?, ?, ?, ?, ?, ?)').run(
    request.id,
    deps.now().toISOString(),
    JSON.stringify(plan.notes),
    JSON.stringify(plan.residual),
    basis?.run_id ?? null,
    basis?.at ?? null,
  );
  deps.audit.append({ actor: by, action: 'job.planned', requestId: request.id, details: { steps: plan.steps.length, residual: plan.residual, planned_from_run: basis?.run_id ?? null } });
}

/** Appends steps to the job's journal, numbered after the ones it holds, each action pending; a step's address is kept as its keyed hash. */
export function insertSteps(db: Db, requestId: string, steps: PlannedStep[], hashOf: (email: string | null) => string | null): void {
  const first = ((db.prepare('SELECT max(step) FROM job_actions WHERE request_id = ?').pluck().get(requestId) as number | null) ?? 0) + 1;
  const insert = db.prepare(
    `INSERT INTO job_actions (request_id, step, event_id, account, registrant_id, occurrence_id, source, action, state, subject_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?)`,
  );
  steps.forEach((step, i) => {
    // The account that hosts the event now: the step's actions go to it, whatever becomes of the event's row.
    const account = step.account ?? accountOfEvent(db, step.event_id);
    for (const action of step.actions) insert.run(requestId, first + i, step.event_id, account, step.registrant_id, step.occurrence_id, step.source, action, hashOf(step.email));
  });
}
