import { createHmac } from 'node:crypto';
import { normaliseEmail } from '../../../shared/email';
import type { Secrets } from '../secrets';
import type { Db } from './database';

/**
 * Subjects erased by a request. The sync consults it for every row it stores, so an erased
 * subject's personal data never comes back from Zoom. Entries are HMAC-SHA-256 of the normalised
 * address under a keychain key: the table alone reveals no address.
 */
export class SuppressionList {
  private constructor(
    private readonly db: Db,
    private readonly key: Buffer,
    private readonly hashes: Set<string>,
  ) {}

  static async open(db: Db, secrets: Secrets): Promise<SuppressionList> {
    const key = Buffer.from(await secrets.suppressionKey(), 'hex');
    const rows = db.prepare('SELECT subject_hash FROM suppressed_subjects').pluck().all() as string[];
    return new SuppressionList(db, key, new Set(rows));
  }

  hashOf(email: string): string {
    return createHmac('sha256', this.key).update(normaliseEmail(email)).digest('hex');
  }

  /** Whether this address (any case, any surrounding space) is suppressed. */
  has(email: string | null | undefined): boolean {
    if (!email || this.hashes.size === 0) return false;
    return this.hashes.has(this.hashOf(email));
  }

  get size(): number {
    return this.hashes.size;
  }

  add(email: string, requestId: string | null, now: Date): void {
    const hash = this.hashOf(email);
    this.db.prepare('INSERT OR IGNORE INTO suppressed_subjects (subject_hash, request_id, added_at) VALUES (?, ?, ?)').run(hash, requestId, now.toISOString());
    this.hashes.add(hash);
  }
}
