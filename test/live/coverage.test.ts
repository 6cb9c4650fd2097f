import { describe, expect, it } from 'vitest';
import { LiveCoverage } from '../../electron/core/live/coverage';
import { heardWithoutGapSince } from '../../electron/core/store/live-coverage';
import type { LoggedRequest } from '../../electron/core/sandbox/server';
import { openCore } from '../../electron/core/service';
import type { SyncResult } from '../../shared/mirror';
import { runCliAsync, tempDataDir } from '../helpers';
import { control, type sandbox } from '../zoom/sandbox-helpers';
import { eventSockets, reconciliations, UPCOMING, watching } from './live-helpers';

// What hearing Zoom's events spares a sync: while the subscription is heard without a gap, the
// webinars whose lists were read since are kept current by events, and an incremental sync reads
// only those that changed (live/coverage.ts). `watch` runs in a process of its own and the
// sync in another, as a person would run them.

type Box = Awaited<ReturnType<typeof sandbox>>;

/** The events (webinars and meetings) whose registrant lists were read since the request log was last cleared. */
async function listsRead(box: Box): Promise<string[]> {
  const { requests } = await control<{ requests: LoggedRequest[] }>(box, 'GET', 'requests');
  const ids = requests.map((r) => /^\/(?:webinars|meetings)\/(\d+)\/registrants$/.exec(r.path)?.[1]).filter((id): id is string => id !== undefined);
  return [...new Set(ids)].sort();
}

async function syncNow(box: Box, dataDir: string): Promise<{ result: SyncResult; lists: string[] }> {
  await control(box, 'DELETE', 'requests');
  const run = await runCliAsync(['--json', '--data-dir', dataDir, 'sync']);
  expect(run.code).toBe(0);
  return { result: run.json as SyncResult, lists: await listsRead(box) };
}

describe('an incremental sync while the event subscription is heard', () => {
  it('reads only the lists of webinars that changed while watch runs, and every upcoming webinar again once it stops', async () => {
    const { box, dataDir, watch } = await watching();
    // Heard as an event: a registration on a webinar the mirror knows.
    const person = { email: 'ida.immer@example.org', first_name: 'Ida' };
    const { registrant_id: id } = await control<{ registrant_id: string }>(box, 'POST', 'register', { event_id: UPCOMING, ...person });
    await watch.waitFor(() => watch.changes.find((c) => c.registrant_id === id), 5000, 'the registration');
    // Not heard as a registration: a webinar scheduled since, which the account's webinar list shows.
    const { id: scheduled } = await control<{ id: number }>(box, 'POST', 'webinars', { topic: 'Scheduled while watched' });

    const watched = await syncNow(box, dataDir);
    expect(watched.result.mode).toBe('incremental');
    // Read: the webinar an event changed (its records then hold what Zoom's list says) and the new one.
    expect(watched.lists).toEqual([UPCOMING, String(scheduled)].sort());
    const found = await runCliAsync(['--json', '--data-dir', dataDir, 'find', '--email', person.email]);
    expect(found.json).toMatchObject({ matches: [{ source: 'registrant', event_id: UPCOMING, registrant_id: id, status: 'pending' }] });

    // Once watch stops nobody vouches for the mirror: every upcoming webinar's lists are read again.
    expect(await watch.stop()).toBe(0);
    const after = await syncNow(box, dataDir);
    expect(after.result.kept_by_events).toBe(0);
    expect(after.lists).toContain(UPCOMING);
    expect(after.lists).toContain(String(scheduled));
    expect(after.lists).toContain('85234567890'); // the members' meeting to come: kept by events too while watch ran
    expect(watched.result.kept_by_events).toBe(after.lists.length - 2);
    expect(watched.result.kept_by_events).toBeGreaterThan(0);
  });

  it('renews the connection with a fresh token before the old one expires, without a gap: no reconciliation, every event applied once', async () => {
    // Tokens that live 302 s: the socket renews 5 minutes before expiry, so about every 2 s here.
    const { box, dataDir, watch } = await watching('demo', { ...process.env, DSR_DESK_LOG: 'debug' }, async (b) => {
      await control(b, 'POST', 'faults', { token_ttl_seconds: 302 });
    });
    const renewals = () =>
      watch
        .stderr()
        .split('\n')
        .filter((line) => line.includes('event socket renewed with a fresh token')).length;
    const registered: string[] = [];
    for (let n = 0; n < 12 || renewals() < 2; n++) {
      registered.push((await control<{ registrant_id: string }>(box, 'POST', 'register', { event_id: UPCOMING, email: `r${n}@example.org`, first_name: `R${n}` })).registrant_id);
      await new Promise((resolve) => setTimeout(resolve, 500));
      if (n > 40) throw new Error(`no renewal in 20 s; watch said:\n${watch.stderr().slice(-2000)}`);
    }
    await watch.waitFor(() => registered.every((r) => watch.changes.some((c) => c.registrant_id === r)) || undefined, 5000, 'every registration');
    expect(renewals()).toBeGreaterThanOrEqual(2);
    expect(reconciliations(watch)).toBe(1);
    const heard = watch.changes.filter((c) => registered.includes(c.registrant_id));
    expect(heard.map((c) => `${c.kind} ${c.via}`)).toEqual(registered.map(() => 'registered event'));
    expect((await eventSockets(box)).connections).toBe(1);

    // Renewed in place, the subscription still vouches for what was read before the renewals: only
    // the webinar the events changed is read again.
    const { result, lists } = await syncNow(box, dataDir);
    expect(lists).toEqual([UPCOMING]);
    expect(result.kept_by_events).toBeGreaterThan(0);
    expect(await watch.stop()).toBe(0);
  });
});

describe('live coverage', () => {
  it('is trusted from the connection on, for as long as signs of life come, and ends with the connection or a newer one', async () => {
    const core = await openCore({ dataDir: tempDataDir() });
    try {
      const db = core.store.db;
      let now = new Date('2026-11-24T10:00:00.000Z');
      const clock = () => now;
      const at = (ms: number) => (now = new Date(Date.parse('2026-11-24T10:00:00.000Z') + ms));
      const coverage = new LiveCoverage(db, clock, 75_000);
      expect(heardWithoutGapSince(db, now)).toBeNull();

      coverage.begin();
      at(60_000);
      expect(heardWithoutGapSince(db, now)).toBe('2026-11-24T10:00:00.000Z');
      coverage.alive(); // a heartbeat answered at 60 s: trusted until 135 s
      at(130_000);
      expect(heardWithoutGapSince(db, now)).toBe('2026-11-24T10:00:00.000Z');
      at(136_000); // no sign of life since 60 s: a watcher that died without a word is no longer trusted
      expect(heardWithoutGapSince(db, now)).toBeNull();

      // Another watcher's connection ends the trust in this one's; closing ends it outright.
      coverage.begin();
      const other = new LiveCoverage(db, clock, 75_000);
      at(140_000);
      other.begin();
      expect(heardWithoutGapSince(db, now)).toBe('2026-11-24T10:02:20.000Z');
      coverage.alive();
      expect(db.prepare('SELECT count(*) FROM live_coverage WHERE ended_at IS NULL').pluck().get()).toBe(1);
      other.end();
      expect(heardWithoutGapSince(db, now)).toBeNull();
    } finally {
      await core.close();
    }
  });
});
