// How one registrant's state moved between two syncs. Zoom sends the same
// `webinar.registration_cancelled` for a host's cancel and the registrant's own, and no API list
// shows self-cancelled people at all; comparing what the mirror saw before with what it sees now,
// and reading back one registrant that vanished from every list, is how DSR Desk tells them apart
// (zoom-api.md §7).

export const REGISTRANT_STATUS_VALUES = ['approved', 'pending', 'denied'] as const;
export type ListedStatus = (typeof REGISTRANT_STATUS_VALUES)[number];

export const CHANGE_KINDS = ['registered', 'approved', 'denied', 'host_cancelled', 'self_cancelled', 'deleted_outside', 'deleted', 'deleted_by_request', 'returned_to_pending'] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

/** What one sync saw of a registrant: a status in one of Zoom's three lists, or in none. */
export type Observed = ListedStatus | 'absent';

/** What GET on one registrant answered: its status (a self-cancelled one answers "all"), or "not found" (3079). */
export type ReadBack = { found: true; status: string } | { found: false };

export function isListedStatus(value: unknown): value is ListedStatus {
  return (REGISTRANT_STATUS_VALUES as readonly unknown[]).includes(value);
}

/** The list a read-back found the registrant in, if any: "all" (a self-cancel) and "not found" are in none. */
export function listedIn(readBack: ReadBack | undefined): ListedStatus | undefined {
  return readBack?.found && isListedStatus(readBack.status) ? readBack.status : undefined;
}

export interface AbsenceContext {
  /** Zoom answers "Webinar does not exist" for a webinar the mirror knew. */
  webinarDeleted: boolean;
  /** This app's own erasure job deleted the registrant (set by the jobs, before the sync runs). */
  deletedByRequest: boolean;
  /** The read-back of a registrant no list shows any more (none where the two facts above decide). */
  readBack?: ReadBack;
}

export interface Transition {
  kind: ChangeKind;
  from: ListedStatus | null;
  to: ListedStatus | null;
}

const listed = (state: Observed | null): ListedStatus | null => (state === null || state === 'absent' ? null : state);

/**
 * The change to record when a registrant was `before` at the last sync (null: never seen) and is
 * `after` now, or null when nothing changed. Pure, so every (before, after) pair is table-tested.
 */
export function classifyTransition(before: Observed | null, after: Observed, context: AbsenceContext): Transition | null {
  if (before === after) return null;
  const from = listed(before);
  const to = listed(after);

  if (after === 'absent') {
    if (from === null) return null; // never listed, still not listed
    // Order matters: this app's own deletion is a known fact tied to a request (its evidence), so
    // it outranks a webinar deleted since.
    if (context.deletedByRequest) return { kind: 'deleted_by_request', from, to: null };
    if (context.webinarDeleted) return { kind: 'deleted', from, to: null };
    // Present before, in no list now, webinar still there. Zoom still answers GET on a registrant
    // who cancelled themselves (status "all"); one deleted in the web portal or by another app is
    // gone ("does not exist"). A read-back that finds it listed is a race between list reads:
    // the caller classifies that status instead, never an absence.
    if (context.readBack?.found === false) return { kind: 'deleted_outside', from, to: null };
    return { kind: 'self_cancelled', from, to: null };
  }

  // Listed now but not before: a new registration, or (rarely) a registration Zoom lists again,
  // e.g. after a deleted webinar was recovered. Either way it is back on Zoom's lists.
  if (from === null) return { kind: 'registered', from: null, to: after };

  switch (after) {
    case 'approved':
      return { kind: 'approved', from, to }; // pending->approved, or a host re-approving a denied one
    case 'denied':
      // A host or API "cancel" of an approved registration ends in `denied`, like a deny.
      return { kind: from === 'approved' ? 'host_cancelled' : 'denied', from, to };
    case 'pending':
      // Zoom offers no action that moves a registration back to pending; recorded so a person
      // can look, rather than folded into another kind.
      return { kind: 'returned_to_pending', from, to };
  }
}

/** What a change means, for people: the UI and the CLI show these words. */
export const CHANGE_DESCRIPTIONS: Record<ChangeKind, string> = {
  registered: 'Registered (first seen on Zoom)',
  approved: 'Approved',
  denied: 'Denied by a host or the API (the address is blocked from registering again)',
  host_cancelled: 'Approval revoked by a host or the API (Zoom now lists it as denied and blocks the address)',
  self_cancelled: 'Cancelled by the registrant: no list shows it while the webinar or meeting exists, and Zoom still holds the record (a read-back answers status "all")',
  deleted_outside: 'Deleted outside DSR Desk (in Zoom\'s web portal or by another app): no list shows it and a read-back answers "registrant does not exist"',
  deleted: 'The webinar or meeting itself was deleted on Zoom',
  deleted_by_request: 'Deleted on Zoom by a DSR Desk erasure job',
  returned_to_pending: 'Back to pending: Zoom has no action that does this, so check it on Zoom',
};
