import Database from 'better-sqlite3-multiple-ciphers';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '../../shared/errors';
import { acquireLease } from '../../electron/core/store/leases';
import { migrate } from '../../electron/core/store/migrations';
import { tempDataDir } from '../helpers';

afterEach(() => void vi.useRealTimers());

describe('a lease', () => {
  it('survives a renewal that finds the write lock held past the busy timeout, and renews at the next', () => {
    vi.useFakeTimers();
    const file = path.join(tempDataDir(), 'lease.db');
    const holder = new Database(file);
    holder.pragma('journal_mode = WAL');
    holder.pragma('busy_timeout = 20');
    migrate(holder);
    const other = new Database(file);
    other.pragma('busy_timeout = 20');
    let clock = Date.parse('2026-11-24T10:00:00Z');
    const now = () => new Date(clock);
    const lease = acquireLease(holder, 'sync', now, () => new AppError('SYNC_IN_PROGRESS', 'held'));
    const renewedAt = () => other.prepare(`SELECT renewed_at FROM leases WHERE name = 'sync'`).pluck().get();
    expect(renewedAt()).toBe('2026-11-24T10:00:00.000Z');

    // Another connection writes for longer than the busy timeout (a sync building its search indexes).
    other.exec('BEGIN IMMEDIATE');
    clock += 10_000;
    expect(() => vi.advanceTimersByTime(10_000)).not.toThrow();
    other.exec('COMMIT');
    expect(renewedAt()).toBe('2026-11-24T10:00:00.000Z');

    clock += 10_000;
    vi.advanceTimersByTime(10_000);
    expect(renewedAt()).toBe('2026-11-24T10:00:20.000Z');
    lease.release();
    expect(other.prepare('SELECT count(*) FROM leases').pluck().get()).toBe(0);
    holder.close();
    other.close();
  });
});
