import { createHmac } from 'node:crypto';
import { normaliseEmail } from '../../../shared/email';
import { SuppressionKeyMissing } from '../errors';
import type { Secrets } from '../secrets';
import type { Db } from './database';
import { addressKey, openAddress, sealAddress } from './sealed-address';

const ERASED = '[erased]';
const ADDRESS_IN_TEXT = /[^\s@<>()[\]"',;:]+@[^\s@<>()[\]"',;:]+\.[^\s@<>()[\]"',;:]+/g;
// Words of a name: letters, inner apostrophes, hyphens and dots ("J.R."), never a sentence's full stop.
const WORD = /\p{L}(?:[\p{L}'-]|\.(?=\p{L}))*/gu;
/** A full name is matched as 2 to this many words in a row. */
const MAX_NAME_WORDS = 4;

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
  private readonly sealKey: Buffer;

  private constructor(
    private readonly db: Db,
    private readonly key: Buffer,
  ) {
    this.sealKey = addressKey(key);
  }

  /**
   * The key is made on first use only while nothing was hashed with one: with suppressed subjects
   * or requests on file, a missing key is an error, never a new key that would let them back in.
   */
  static async open(db: Db, secrets: Secrets): Promise<SuppressionList> {
    const hashed = (db.prepare('SELECT EXISTS (SELECT 1 FROM suppressed_subjects) OR EXISTS (SELECT 1 FROM requests)').pluck().get() as number) === 1;
    const key = await secrets.suppressionKey({ create: !hashed });
    if (key === null) throw new SuppressionKeyMissing();
    return new SuppressionList(db, Buffer.from(key, 'hex'));
  }

  /** The list over another connection to the same store (the sync's writer thread), with the key this one holds. */
  static withKey(db: Db, key: Buffer): SuppressionList {
    return new SuppressionList(db, key);
  }

  /** The key, in memory, for the sync's writer thread (writer-thread.ts): never written anywhere. */
  keyForWriterThread(): string {
    return this.key.toString('hex');
  }

  /** The register's copy of an address, sealed under a key derived from this list's (sealed-address.ts). */
  seal(email: string): string {
    return sealAddress(this.sealKey, email);
  }

  unseal(stored: string): string {
    return openAddress(this.sealKey, stored);
  }

  hashOf(email: string): string {
    return createHmac('sha256', this.key).update(normaliseEmail(email)).digest('hex');
  }

  /** Whether this address (any case, any surrounding space) is suppressed. */
  has(email: string | null | undefined): boolean {
    return this.checker()(email) !== null;
  }

  /** Which request put the address on the list, and when: found by its keyed hash alone. */
  erasedBy(email: string): { request_id: string | null; at: string } | null {
    return (
      (this.db.prepare('SELECT request_id, added_at AS at FROM suppressed_subjects WHERE subject_hash = ?').get(this.hashOf(email)) as { request_id: string | null; at: string } | undefined) ?? null
    );
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

  /**
   * A scrubber for free text a sync stores from other people (Q&A): a suppressed subject's
   * address, or a full name they used, becomes "[erased]". Null when no one is suppressed.
   */
  textScrubber(): ((text: string) => string) | null {
    const suppressed = this.checker();
    if (suppressed === NOBODY) return null;
    const nameHashes = new Set(this.db.prepare('SELECT name_hash FROM suppressed_names').pluck().all() as string[]);
    return (text) => {
      let out = text.replace(ADDRESS_IN_TEXT, (address) => (suppressed(address) !== null ? ERASED : address));
      if (nameHashes.size === 0) return out;
      const words = [...out.matchAll(WORD)];
      const spans: [number, number][] = [];
      for (let i = 0; i < words.length; i++) {
        for (let n = MAX_NAME_WORDS; n >= 2; n--) {
          const run = words.slice(i, i + n);
          if (run.length < n || !nameHashes.has(this.nameHash(run.map((w) => w[0]).join(' ')))) continue;
          spans.push([run[0]!.index!, run[n - 1]!.index! + run[n - 1]![0].length]);
          i += n - 1;
          break;
        }
      }
      for (const [start, end] of spans.reverse()) out = out.slice(0, start) + ERASED + out.slice(end);
      return out;
    };
  }

  /** Keeps keyed hashes of the full names an erased subject used (see textScrubber). */
  addNames(subjectHash: string, names: string[]): void {
    const insert = this.db.prepare('INSERT OR IGNORE INTO suppressed_names (name_hash, subject_hash) VALUES (?, ?)');
    for (const name of names) insert.run(this.nameHash(name), subjectHash);
  }

  private nameHash(name: string): string {
    return createHmac('sha256', this.key)
      .update(`name:${name.trim().replace(/\s+/g, ' ').toLowerCase()}`)
      .digest('hex');
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
