import { normaliseEmail } from '../../../shared/email';
import type { Db } from '../store/database';
import { anonymiseSubjectRegistrations } from '../store/registrants';
import { REPORT_TABLES, scrubAnswers } from '../store/report-sources';

// Step 1 of an erasure: the mirror's copy. Personal fields become NULL (no hash or mapping of the
// old values, so nothing is merely pseudonymised); rows keep Zoom's keys, `suppressed = 1` and
// the keyed hash, so the DPO still sees what Zoom holds and a later request finds them. Reaches
// what an address match alone misses: guest attendance rows linked by registrant ID, and the
// subject's name or address inside other people's Q&A.

const ERASED = '[erased]';

export interface Erased {
  registrants: number;
  records: number;
  guests: number;
  mentions: number;
  /** The full names the subject used, for the suppression list's keyed name hashes (never stored as they are). */
  names: string[];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Erases one subject from the mirror; call it inside the transaction that journals it. */
export function eraseSubjectFromMirror(db: Db, email: string, subjectHash: string): Erased {
  const wanted = normaliseEmail(email);
  // Full names the subject used, read before they are erased: others' Q&A may mention them.
  const names = new Set<string>();
  for (const row of db.prepare('SELECT first_name, last_name FROM registrants WHERE email_norm = ?').all(wanted) as { first_name: string | null; last_name: string | null }[]) {
    const full = [row.first_name, row.last_name].filter(Boolean).join(' ').trim();
    if (full.includes(' ')) names.add(full);
  }
  for (const { table, columns } of Object.values(REPORT_TABLES)) {
    if (!columns.includes('name')) continue;
    for (const name of db.prepare(`SELECT DISTINCT name FROM ${table} WHERE email_norm = ? AND name IS NOT NULL`).pluck().all(wanted) as string[]) {
      if (name.trim().includes(' ')) names.add(name.trim());
    }
  }
  const mention = new RegExp([wanted, ...names].map(escapeRegExp).join('|'), 'gi');
  const scrubText = (text: string) => text.replace(mention, ERASED);

  // The subject's registrations, for attendance rows of guests without an address that Zoom links to them.
  db.exec('CREATE TEMP TABLE IF NOT EXISTS erasing_registrations (event_id TEXT NOT NULL, registrant_id TEXT NOT NULL)');
  db.exec('DELETE FROM erasing_registrations');
  db.prepare('INSERT INTO erasing_registrations SELECT event_id, registrant_id FROM registrants WHERE email_norm = ? OR subject_hash = ?').run(wanted, subjectHash);

  const nulls = (columns: readonly string[]) => [...columns, 'email', 'email_norm'].map((c) => `${c} = NULL`).join(', ');
  const registrants = anonymiseSubjectRegistrations(db, wanted, subjectHash);
  let records = 0;
  let guests = 0;
  for (const { table, columns, keep } of Object.values(REPORT_TABLES)) {
    const cleared = nulls(columns.filter((c) => !keep.includes(c)));
    records += db.prepare(`UPDATE ${table} SET ${cleared}, suppressed = 1, subject_hash = ? WHERE email_norm = ?`).run(subjectHash, wanted).changes;
    if (columns.includes('registrant_id')) {
      guests += db
        .prepare(
          `UPDATE ${table} SET ${cleared}, suppressed = 1, subject_hash = ?
           WHERE email_norm IS NULL AND suppressed = 0 AND registrant_id IS NOT NULL
             AND EXISTS (SELECT 1 FROM erasing_registrations e WHERE e.event_id = ${table}.event_id AND e.registrant_id = ${table}.registrant_id)`,
        )
        .run(subjectHash).changes;
    }
  }
  db.exec('DELETE FROM erasing_registrations');

  // Other people's questions: the subject's answers lose who gave them, and the subject's name
  // or address in any text becomes "[erased]".
  let mentions = 0;
  const terms = [wanted, ...names].map((t) => t.toLowerCase());
  const candidates = db
    .prepare(`SELECT rowid, question, answers FROM qa_questions WHERE suppressed = 0 AND (${terms.map(() => `instr(lower(coalesce(question, '') || coalesce(answers, '')), ?) > 0`).join(' OR ')})`)
    .all(...terms) as { rowid: number; question: string | null; answers: string | null }[];
  const update = db.prepare('UPDATE qa_questions SET question = ?, answers = ? WHERE rowid = ?');
  for (const row of candidates) {
    const question = row.question === null ? null : scrubText(row.question);
    const answers = scrubAnswers(row.answers, (e) => !!e && normaliseEmail(e) === wanted, scrubText);
    if (question !== row.question || answers !== row.answers) {
      update.run(question, answers, row.rowid);
      mentions++;
    }
  }
  return { registrants, records, guests, mentions, names: [...names] };
}

/**
 * After an erasure's commit: copy the WAL into the database and truncate it, so no page with the
 * old values survives in `-wal` (secure_delete has zeroed them in the database's own pages).
 * Another connection reading at that moment can hold it up: the result says whether it completed.
 */
export function checkpointAfterErasure(db: Db): boolean {
  const [result] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number; log: number; checkpointed: number }[];
  return result !== undefined && result.busy === 0;
}
