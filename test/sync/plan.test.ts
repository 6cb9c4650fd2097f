import { describe, expect, it } from 'vitest';
import { chooseMode, FULL_PASS_EVERY_MS, interleave, planEvents, remainingOfPlan, type DiscoveredEvents, type ListedEvent } from '../../electron/core/sync/plan';

// The sync's planning on its own: the mode, which webinars a run reads in which order, and what a
// resumed run has left, from the facts its steps gather (sync.test.ts and resume.test.ts run the
// whole sync against the sandbox).

const now = new Date('2026-11-24T12:00:00.000Z');
const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000).toISOString();

describe('chooseMode', () => {
  it('syncs one webinar when one is named, a full pass when asked for one', () => {
    expect(chooseMode({ webinarId: '81234567890', full: true }, daysAgo(1), now)).toBe('webinar');
    expect(chooseMode({ full: true }, daysAgo(1), now)).toBe('full');
  });

  it('runs a full pass when none ever completed or the last is more than a week old, incremental otherwise', () => {
    expect(chooseMode({}, null, now)).toBe('full');
    expect(chooseMode({}, new Date(now.getTime() - FULL_PASS_EVERY_MS - 1).toISOString(), now)).toBe('full');
    expect(chooseMode({}, new Date(now.getTime() - FULL_PASS_EVERY_MS).toISOString(), now)).toBe('incremental');
    expect(chooseMode({}, daysAgo(2), now)).toBe('incremental');
  });
});

// An account as Zoom lists it: two past webinars, four upcoming ones, one of each changed since the last sync.
const listed: ListedEvent[] = [
  { id: '82000000001', changed: false, past: true },
  { id: '82000000002', changed: true, past: true },
  { id: '82000000003', changed: false, past: false },
  { id: '82000000004', changed: true, past: false },
  { id: '82000000005', changed: false, past: false },
  { id: '82000000006', changed: false, past: false },
];
const found = (facts: Partial<DiscoveredEvents> = {}): DiscoveredEvents => ({
  listed,
  remembered: [
    ...listed.map((e, i) => ({ id: e.id, start_time: daysAgo(e.past ? 10 + i : -5 - i) })),
    // Remembered, no longer listed: ended long ago, ended yesterday (Zoom stops listing it), still to come (deleted?), no start.
    { id: '81000000001', start_time: daysAgo(30) },
    { id: '81000000002', start_time: daysAgo(0.5) },
    { id: '81000000003', start_time: daysAgo(-3) },
    { id: '81000000004', start_time: null },
  ],
  keptCurrentByEvents: new Set(),
  heldSinceLastSync: new Set(),
  ...facts,
});

describe('planEvents', () => {
  it('a full pass reads every listed webinar, past and upcoming alternately, then every remembered one Zoom no longer lists', () => {
    const plan = planEvents('full', found({ keptCurrentByEvents: new Set(['82000000003']), heldSinceLastSync: new Set(['82000000001']) }), now);
    expect(plan).toEqual({
      eventIds: ['82000000001', '82000000003', '82000000002', '82000000004', '82000000005', '82000000006', '81000000001', '81000000002', '81000000003', '81000000004'],
      keptByEvents: 0,
    });
  });

  it('an incremental run reads the changed and held webinars and the upcoming ones, and of the unlisted only those still to come', () => {
    const plan = planEvents('incremental', found({ heldSinceLastSync: new Set(['82000000001']) }), now);
    expect(plan).toEqual({
      eventIds: ['82000000001', '82000000003', '82000000002', '82000000004', '82000000005', '82000000006', '81000000002', '81000000003', '81000000004'],
      keptByEvents: 0,
    });
  });

  it('an incremental run leaves out upcoming webinars live events kept current, unless they changed or were held', () => {
    const kept = new Set(['82000000003', '82000000004', '82000000005', '82000000006']);
    const plan = planEvents('incremental', found({ keptCurrentByEvents: kept, heldSinceLastSync: new Set(['82000000006']) }), now);
    expect(plan).toEqual({ eventIds: ['82000000002', '82000000004', '82000000006', '81000000002', '81000000003', '81000000004'], keptByEvents: 2 });
  });

  it('plans nothing for an empty account with an empty mirror', () => {
    expect(planEvents('incremental', { listed: [], remembered: [], keptCurrentByEvents: new Set(), heldSinceLastSync: new Set() }, now)).toEqual({ eventIds: [], keptByEvents: 0 });
  });
});

describe('remainingOfPlan', () => {
  it('a resumed run skips what it synced and goes on in the order planned', () => {
    const planned = [
      { event_id: '82000000004', position: 3, done: false },
      { event_id: '82000000001', position: 0, done: true },
      { event_id: '82000000003', position: 1, done: false },
      { event_id: '82000000002', position: 2, done: true },
    ];
    expect(remainingOfPlan(planned)).toEqual({ eventIds: ['82000000003', '82000000004'], done: 2, total: 4 });
    expect(remainingOfPlan(planned.map((e) => ({ ...e, done: true })))).toEqual({ eventIds: [], done: 4, total: 4 });
  });
});

describe('interleave', () => {
  it("alternates two lists and keeps the longer one's tail", () => {
    expect(interleave(['p1', 'p2'], ['u1', 'u2', 'u3', 'u4'])).toEqual(['p1', 'u1', 'p2', 'u2', 'u3', 'u4']);
  });
});
