import { createHmac } from 'node:crypto';
import { normaliseEmail } from '../../../shared/email';
import { SuppressionKeyMissing } from '../errors';
import type { Secrets } from '../secrets';
import type { Db } from './database';

/** The check when no one is suppressed. */
export const NOBODY = (_email: string | null | undefined): string | null => null;

/**
 * Subjects erased by a request. The sync consults it for every row it stores, so an erased
 * subject's personal data never comes back from Zoom. Entries are HMAC-SHA-256 of the normalised
 * address under a keychain key: the table alone reveals no address. Every check reads the table,
 * never a copy held by this process: an erasure run by another process (the CLI while the window
 * is open) counts from its commit on.
 */
export class SuppressionList {
  private constructor(
    private readonly db: Db,
    private readonly key: Buffer,
  ) {}

  /**
   * The key is made on first use only while nothing was hashed with one: with suppressed subjects
   * or requests on file, a missing key is an error, never a new key that would let them back in.
   */
  static async open(db: Db, secrets: Secrets): Promise<SuppressionList> {
    const hashed =
      (db.prepare('SELECT EXISTS (SELECT 1 FROM suppressed_subjects) OR EXISTS (SELECT 1 FROM requests)').pluck().get() as number) === 1;
    const key = await secrets.suppressionKey({ create: !hashed });
    if (key === null) throw new SuppressionKeyMissing();
    return new SuppressionList(db, Buffer.from(key, 'hex'));
  }

  hashOf(email: string): string {
    return createHmac('sha256', this.key).update(normaliseEmail(email)).digest('hex');
  }

  /** Whether this address (any case, any surrounding space) is suppressed. */
  has(email: string | null | undefined): boolean {
    return this.checker()(email) !== null;
  }

  /**
   * A check for many rows written in one transaction: one query to learn whether anyone is
   * suppressed at all (almost always no one), then one indexed lookup per address. Returns the
   * keyed hash of a suppressed address, null otherwise. Use it inside the writing transaction.
   */
  checker(): (email: string | null | undefined) => string | null {
    if (this.size === 0) return NOBODY;
    const lookup = this.db.prepare('SELECT 1 FROM suppressed_subjects WHERE subject_hash = ?').pluck();
    return (email) => {
      if (!email) return null;
      const hash = this.hashOf(email);
      return lookup.get(hash) === undefined ? null : hash;
    };
  }

  get size(): number {
    return this.db.prepare('SELECT count(*) FROM suppressed_subjects').pluck().get() as number;
  }

  add(email: string, requestId: string | null, now: Date): string {
    const hash = this.hashOf(email);
    this.db.prepare('INSERT OR IGNORE INTO suppressed_subjects (subject_hash, request_id, added_at) VALUES (?, ?, ?)').run(hash, requestId, now.toISOString());
    return hash;
  }
}
