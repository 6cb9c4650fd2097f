import { CLOSED_STATUSES } from '../../../shared/requests';
import type { Db } from '../store/database';
import type { RequestRegister } from './register';

// The retention purges the scheduler runs (hourly): requests past the retention period lose the
// subject's identifiers and free text, closed erasures past the grace period the full address.
// This module decides what is due; the register (register.ts) writes each purge, its timeline and audit entry.

export interface RetentionDeps {
  db: Db;
  now: () => Date;
  register: RequestRegister;
}

export class RequestRetention {
  constructor(private readonly deps: RetentionDeps) {}

  /**
   * Requests older than the retention period lose the subject's identifiers and free text; type,
   * dates, outcome, article, the masked address and the subject hash remain as evidence. Reaches
   * closed requests, and those stuck partial or failed with nothing done for that long. Returns how many.
   */
  purgeExpired(retentionYears: number, by = 'retention'): number {
    const { db, now, register } = this.deps;
    const cutoff = new Date(now());
    cutoff.setUTCFullYear(cutoff.getUTCFullYear() - retentionYears);
    const due = db
      .prepare(
        `SELECT id FROM requests q WHERE purged_at IS NULL AND (
           (closed_at IS NOT NULL AND closed_at < ? AND status IN (${CLOSED_STATUSES.map(() => '?').join(', ')}))
           OR (status IN ('partial', 'failed') AND (SELECT max(at) FROM request_events e WHERE e.request_id = q.id) < ?))`,
      )
      .pluck()
      .all(cutoff.toISOString(), ...CLOSED_STATUSES, cutoff.toISOString()) as string[];
    const at = now().toISOString();
    db.transaction(() => {
      for (const id of due) register.retentionPurged(id, by, retentionYears, at);
    })();
    return due.length;
  }

  /**
   * Minimal identifiers (Art 5(1)(c)): a closed erasure or restriction request keeps the full
   * address only for the grace period (for the reply to the subject), then the masked address
   * and the keyed hash. Returns how many lost it.
   */
  purgeAddresses(graceDays: number, by = 'retention'): number {
    const { db, now, register } = this.deps;
    const cutoff = new Date(now().getTime() - graceDays * 86_400_000).toISOString();
    const due = db
      .prepare(
        `SELECT id FROM requests WHERE subject_email IS NOT NULL AND type IN ('erasure', 'restriction')
           AND closed_at IS NOT NULL AND closed_at < ? AND status IN (${CLOSED_STATUSES.map(() => '?').join(', ')})`,
      )
      .pluck()
      .all(cutoff, ...CLOSED_STATUSES) as string[];
    const at = now().toISOString();
    db.transaction(() => {
      for (const id of due) register.addressPurged(id, by, graceDays, at);
    })();
    return due.length;
  }
}
