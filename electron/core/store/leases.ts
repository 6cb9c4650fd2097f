import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { AppError } from '../../../shared/errors';
import type { Db } from './database';

// Leases in the database: one runner per job and one sync at a time, whichever process (the
// window, browser mode, the CLI) asks. Taken in an IMMEDIATE transaction, so two processes can't
// both see the lease free. A lease whose process died (killed, crashed) is taken over: on this
// machine when its process no longer exists, elsewhere when it stopped renewing.

/** A holder renews this often while it runs... */
const RENEW_EVERY_MS = 10_000;
/** ...and a lease not renewed for this long is abandoned, whoever held it. */
const STALE_AFTER_MS = 60_000;

export interface LeaseHolder {
  name: string;
  holder: string;
  host: string;
  pid: number;
  acquired_at: string;
  renewed_at: string;
}

export interface Lease {
  release(): void;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether the holder of a lease still runs: alive on this machine, or renewing recently. */
export function leaseAlive(lease: LeaseHolder, now: Date): boolean {
  if (now.getTime() - Date.parse(lease.renewed_at) > STALE_AFTER_MS) return false;
  return lease.host !== os.hostname() || processAlive(lease.pid);
}

/**
 * Takes the lease `name`, or throws what `refuse` makes of its live holder. Every acquisition
 * has its own holder token, so a second run in the same process is refused as well.
 */
export function acquireLease(db: Db, name: string, now: () => Date, refuse: (holder: LeaseHolder) => AppError): Lease {
  const holder = `${os.hostname()}:${process.pid}:${randomBytes(6).toString('hex')}`;
  db.transaction(() => {
    const current = db.prepare('SELECT * FROM leases WHERE name = ?').get(name) as LeaseHolder | undefined;
    if (current && leaseAlive(current, now())) throw refuse(current);
    const at = now().toISOString();
    db.prepare(
      `INSERT INTO leases (name, holder, host, pid, acquired_at, renewed_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, host = excluded.host, pid = excluded.pid, acquired_at = excluded.acquired_at, renewed_at = excluded.renewed_at`,
    ).run(name, holder, os.hostname(), process.pid, at, at);
  }).immediate();
  const renew = setInterval(() => {
    try {
      if (db.open) db.prepare('UPDATE leases SET renewed_at = ? WHERE name = ? AND holder = ?').run(now().toISOString(), name, holder);
    } catch (error) {
      // Another connection held the write lock past the busy timeout (a sync building its search
      // indexes, say): the next renewal comes long before the lease counts as abandoned.
      if ((error as { code?: string }).code !== 'SQLITE_BUSY') throw error;
    }
  }, RENEW_EVERY_MS);
  renew.unref();
  return {
    release: () => {
      clearInterval(renew);
      if (db.open) db.prepare('DELETE FROM leases WHERE name = ? AND holder = ?').run(name, holder);
    },
  };
}

/** Words for an error: since when, and where, a lease is held. */
export function describeHolder(holder: LeaseHolder): string {
  return `since ${holder.acquired_at}, by process ${holder.pid}${holder.host === os.hostname() ? '' : ` on ${holder.host}`}`;
}
