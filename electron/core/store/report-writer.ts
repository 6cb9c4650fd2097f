import type { Statement } from 'better-sqlite3-multiple-ciphers';
import { normaliseEmail } from '../../../shared/email';
import type { Db } from './database';
import { REPORT_TABLES, scrubAnswers, type ReportRow, type ReportSource } from './report-sources';
import type { SuppressionList } from './suppression';

// Writes the report records a sync reads (participants, absentees, Q&A, polls, surveys, panelists:
// report-sources.ts) into their tables. Rows are keyed by position in Zoom's report, so a page
// written again by a resumed sync overwrites itself; a suppressed person's row keeps only Zoom's keys.

export class ReportWriter {
  private readonly selectSuppressedRegistrant: Statement;
  private readonly statements = new Map<ReportSource, { upsert: Statement; trim: Statement; columns: string[] }>();

  constructor(
    private readonly db: Db,
    private readonly suppression: SuppressionList,
    /** The writer's transaction (MirrorWriter's: it holds the write lock from its start). */
    private readonly inWriteTransaction: (body: () => void) => void,
  ) {
    this.selectSuppressedRegistrant = db.prepare('SELECT subject_hash FROM registrants WHERE event_id = ? AND registrant_id = ? AND suppressed = 1');
  }

  private statementsFor(source: ReportSource) {
    let statements = this.statements.get(source);
    if (!statements) {
      const { table, columns: own } = REPORT_TABLES[source];
      const columns = ['event_id', 'instance_uuid', 'ordinal', 'last_seen_run', 'email', 'email_norm', 'suppressed', 'subject_hash', ...own];
      const update = columns.filter((c) => !['event_id', 'instance_uuid', 'ordinal'].includes(c)).map((c) => `${c} = excluded.${c}`);
      statements = {
        columns: [...own],
        upsert: this.db.prepare(
          `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})
           ON CONFLICT (event_id, instance_uuid, ordinal) DO UPDATE SET ${update.join(', ')}`,
        ),
        trim: this.db.prepare(`DELETE FROM ${table} WHERE event_id = ? AND instance_uuid = ? AND ordinal >= ?`),
      };
      this.statements.set(source, statements);
    }
    return statements;
  }

  /** Rows `firstOrdinal`.. of one report of one instance; a suppressed person's row keeps only Zoom's keys. */
  writeReportRows(source: ReportSource, webinarId: string, instanceUuid: string, firstOrdinal: number, rows: ReportRow[], runId: number): void {
    const { upsert, columns } = this.statementsFor(source);
    const keep = new Set(REPORT_TABLES[source].keep);
    this.inWriteTransaction(() => {
      const suppressedHash = this.suppression.checker();
      const scrub = source === 'qa' ? this.suppression.textScrubber() : null;
      rows.forEach((row, i) => {
        // A guest without an address is still the subject when Zoom links the row to their registration.
        const registrantId = typeof row.registrant_id === 'string' ? row.registrant_id : null;
        const linked = !row.email && registrantId ? (this.selectSuppressedRegistrant.get(webinarId, registrantId) as { subject_hash: string | null } | undefined) : undefined;
        const subjectHash = linked ? linked.subject_hash : suppressedHash(row.email);
        const suppressed = linked !== undefined || subjectHash !== null;
        const values = columns.map((c) => (suppressed && !keep.has(c) ? null : (row[c] ?? null)));
        // Someone else's question may name an erased subject, or hold their answer: both are scrubbed again.
        if (scrub && !suppressed) {
          const at = (column: string) => columns.indexOf(column);
          if (typeof values[at('question')] === 'string') values[at('question')] = scrub(values[at('question')] as string);
          values[at('answers')] = scrubAnswers(values[at('answers')] as string | null, (email) => suppressedHash(email) !== null, scrub);
        }
        upsert.run(
          webinarId,
          instanceUuid,
          firstOrdinal + i,
          runId,
          suppressed ? null : row.email,
          suppressed || !row.email ? null : normaliseEmail(row.email),
          suppressed ? 1 : 0,
          subjectHash,
          ...values,
        );
      });
    });
  }

  /** A report was read to the end with `count` rows: rows past that are no longer on Zoom's list. */
  finishReport(source: ReportSource, webinarId: string, instanceUuid: string, count: number): void {
    this.statementsFor(source).trim.run(webinarId, instanceUuid, count);
  }
}
