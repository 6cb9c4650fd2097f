import { describe, expect, it } from 'vitest';
import { classifyTransition, type AbsenceContext, type Observed } from '../../shared/changes';

const plain: AbsenceContext = { webinarDeleted: false, deletedByRequest: false };
const webinarGone: AbsenceContext = { webinarDeleted: true, deletedByRequest: false };
const byRequest: AbsenceContext = { webinarDeleted: false, deletedByRequest: true };
const both: AbsenceContext = { webinarDeleted: true, deletedByRequest: true };

// Every (before, after) pair: before is null (never seen), a status, or absent; after is a status or absent.
// Columns: before, after, kind without context, with webinar deleted, with deleted by request.
type Row = [Observed | null, Observed, string | null, string | null, string | null];
const table: Row[] = [
  [null, 'approved', 'registered', 'registered', 'registered'],
  [null, 'pending', 'registered', 'registered', 'registered'],
  [null, 'denied', 'registered', 'registered', 'registered'],
  [null, 'absent', null, null, null],
  ['approved', 'approved', null, null, null],
  ['approved', 'pending', 'returned_to_pending', 'returned_to_pending', 'returned_to_pending'],
  ['approved', 'denied', 'host_cancelled', 'host_cancelled', 'host_cancelled'],
  ['approved', 'absent', 'self_cancelled', 'deleted', 'deleted_by_request'],
  ['pending', 'approved', 'approved', 'approved', 'approved'],
  ['pending', 'pending', null, null, null],
  ['pending', 'denied', 'denied', 'denied', 'denied'],
  ['pending', 'absent', 'self_cancelled', 'deleted', 'deleted_by_request'],
  ['denied', 'approved', 'approved', 'approved', 'approved'],
  ['denied', 'pending', 'returned_to_pending', 'returned_to_pending', 'returned_to_pending'],
  ['denied', 'denied', null, null, null],
  ['denied', 'absent', 'self_cancelled', 'deleted', 'deleted_by_request'],
  ['absent', 'approved', 'registered', 'registered', 'registered'],
  ['absent', 'pending', 'registered', 'registered', 'registered'],
  ['absent', 'denied', 'registered', 'registered', 'registered'],
  ['absent', 'absent', null, null, null],
];

describe('classifyTransition', () => {
  it('the table covers every (before, after) pair exactly once', () => {
    const befores: (Observed | null)[] = [null, 'approved', 'pending', 'denied', 'absent'];
    const afters: Observed[] = ['approved', 'pending', 'denied', 'absent'];
    const keys = table.map(([before, after]) => `${before}->${after}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.sort()).toEqual(befores.flatMap((b) => afters.map((a) => `${b}->${a}`)).sort());
  });

  it.each(table)('%s -> %s is %s (webinar deleted: %s, deleted by request: %s)', (before, after, kind, kindWebinarGone, kindByRequest) => {
    expect(classifyTransition(before, after, plain)?.kind ?? null).toBe(kind);
    expect(classifyTransition(before, after, webinarGone)?.kind ?? null).toBe(kindWebinarGone);
    expect(classifyTransition(before, after, byRequest)?.kind ?? null).toBe(kindByRequest);
  });

  it('reports from and to as Zoom statuses, null where the registrant was in no list', () => {
    expect(classifyTransition('approved', 'denied', plain)).toEqual({ kind: 'host_cancelled', from: 'approved', to: 'denied' });
    expect(classifyTransition('pending', 'absent', plain)).toEqual({ kind: 'self_cancelled', from: 'pending', to: null });
    expect(classifyTransition(null, 'pending', plain)).toEqual({ kind: 'registered', from: null, to: 'pending' });
    expect(classifyTransition('absent', 'approved', plain)).toEqual({ kind: 'registered', from: null, to: 'approved' });
  });

  it("this app's own deletion outranks a webinar deleted since: the request's evidence needs it", () => {
    expect(classifyTransition('approved', 'absent', both)?.kind).toBe('deleted_by_request');
  });
});
