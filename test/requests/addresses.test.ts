import { describe, expect, it } from 'vitest';
import { RequestRetention } from '../../electron/core/requests/retention';
import { control, sandbox } from '../zoom/sandbox-helpers';
import { call, connectedCore } from '../sync/sync-helpers';
import { SUBJECT } from '../jobs/job-helpers';

// Issue 28: a request names a person, who may have registered under several addresses. Each
// address is checked, planned, erased, suppressed and purged; a name under another address is a
// suggestion, never an erasure.

const PRIVATE = 'erika.private@example.net';
const NAMESAKE = 'e.mustermann@example.org';
const OTHER_ERIKA = 'erika.m@example.net';
const dana = 'Dana DPO';

describe('a request for one person with several addresses', () => {
  it('checks identity per address, plans and erases every address, suppresses each, and offers name matches without erasing them', async () => {
    const box = await sandbox({ seed: 'demo' });
    // The subject registered privately for one webinar; two more addresses carry her name.
    await control(box, 'POST', 'register', { webinar_id: '81234567890', email: PRIVATE, first_name: 'Erika', last_name: 'Mustermann' });
    await control(box, 'POST', 'register', { webinar_id: '81234567891', email: NAMESAKE, first_name: ' erika ', last_name: 'MUSTERMANN' });
    await control(box, 'POST', 'register', { webinar_id: '81234567890', email: OTHER_ERIKA, first_name: 'Erika', last_name: 'Mustermann' });
    const core = await connectedCore(box);
    try {
      await call(core, 'syncZoom', {});

      const found = await call(core, 'findSubject', { emails: [SUBJECT, ` ${PRIVATE.toUpperCase()} `] });
      expect(new Set(found.matches.map((m) => m.email))).toEqual(new Set([SUBJECT, PRIVATE]));
      expect(found.matches.filter((m) => m.email === PRIVATE)).toEqual([expect.objectContaining({ source: 'registrant', event_id: '81234567890', status: 'pending' })]);
      expect(found.addresses.map((a) => [a.email, a.suppressed])).toEqual([
        [SUBJECT, false],
        [PRIVATE, false],
      ]);

      const filed = await call(core, 'createRequest', { type: 'erasure', emails: [SUBJECT, PRIVATE, SUBJECT.toUpperCase()], by: dana });
      expect(filed.emails).toEqual([SUBJECT, PRIVATE]);
      const { id } = filed;

      // One address checked: still received, and the timeline says which and how.
      let request = await call(core, 'verifyIdentity', { id, email: PRIVATE, method: 'reply_from_registered_address', by: dana });
      expect(request.status).toBe('received');
      expect(request.addresses.map((a) => [a.email, a.identity?.method ?? null])).toEqual([
        [SUBJECT, null],
        [PRIVATE, 'reply_from_registered_address'],
      ]);
      expect(request.timeline.at(-1)).toMatchObject({ action: 'address_verified', from: null, to: null, reason: 'e***@example.net: reply_from_registered_address' });
      const again = await core.dispatch('verifyIdentity', { id, email: PRIVATE, method: 'existing_account', by: dana });
      expect(again).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
      const stranger = await core.dispatch('verifyIdentity', { id, email: 'someone@example.com', method: 'existing_account', by: dana });
      expect(stranger).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('add-address') } });

      // Without --email: every address not yet checked; now the request is verified.
      request = await call(core, 'verifyIdentity', { id, method: 'existing_account', by: dana });
      expect(request.status).toBe('identity_verified');
      expect(request.addresses.map((a) => a.identity?.method)).toEqual(['existing_account', 'reply_from_registered_address']);

      // The suggestions: two other addresses under her name; nothing erased on them.
      let suggestions = await call(core, 'listSuggestions', { id });
      expect(suggestions.suggestions.map((s) => [s.email, s.state, s.sources])).toEqual([
        [NAMESAKE, 'open', 1],
        [OTHER_ERIKA, 'open', 1],
      ]);
      // Matched whatever the case and spacing of the name; shown as it was registered.
      expect(suggestions.suggestions[0]).toMatchObject({ name: expect.stringMatching(/^\s*erika\s+MUSTERMANN$/), events: [{ event_type: 'webinar', event_id: '81234567891' }] });

      suggestions = await call(core, 'decideSuggestion', { id, email: OTHER_ERIKA, decision: 'dismiss', by: dana });
      expect(suggestions.suggestions.find((s) => s.email === OTHER_ERIKA)).toMatchObject({ state: 'dismissed', decided_by: dana });
      expect(await core.dispatch('decideSuggestion', { id, email: OTHER_ERIKA, decision: 'accept', by: dana })).toMatchObject({ ok: false, error: { code: 'INVALID_STATE' } });

      // Accepting adds the address: its identity is unchecked, so the verified request goes back to received.
      suggestions = await call(core, 'decideSuggestion', { id, email: NAMESAKE, decision: 'accept', by: dana });
      expect(suggestions.suggestions.map((s) => [s.email, s.state])).toEqual([
        [NAMESAKE, 'accepted'],
        [OTHER_ERIKA, 'dismissed'],
      ]);
      request = await call(core, 'getRequest', { id });
      expect(request.status).toBe('received');
      expect(request.addresses.map((a) => [a.email, a.via, a.identity === null])).toEqual([
        [SUBJECT, 'filed', false],
        [PRIVATE, 'filed', false],
        [NAMESAKE, 'suggestion', true],
      ]);
      expect(request.timeline.map((e) => e.action)).toEqual(['filed', 'address_verified', 'verify_identity', 'suggestion_dismissed', 'add_address']);
      expect(await core.dispatch('approveRequest', { id, by: 'Rui Reviewer', ground: '17(1)(b)', exceptions_checked: true })).toMatchObject({ ok: false, error: { code: 'INVALID_STATE' } });
      await call(core, 'verifyIdentity', { id, email: NAMESAKE, method: 'document_seen_not_kept', by: dana });
      // Adding the same address twice is refused, in any spelling.
      expect(await core.dispatch('addRequestAddress', { id, email: ` ${PRIVATE.toUpperCase()}`, by: dana })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
      await call(core, 'approveRequest', { id, by: 'Rui Reviewer', ground: '17(1)(b)', exceptions_checked: true });

      // The plan covers every address; each step names the address it came from.
      const plan = await call(core, 'planJob', { id });
      const registrations = plan.steps.filter((s) => s.source === 'registrant');
      expect(registrations.filter((s) => s.email === PRIVATE).map((s) => s.event_id)).toEqual(['81234567890']);
      expect(registrations.filter((s) => s.email === NAMESAKE).map((s) => s.event_id)).toEqual(['81234567891']);
      expect(registrations.filter((s) => s.email === SUBJECT).length).toBeGreaterThan(2);
      expect(plan.steps.filter((s) => s.source === 'lists').every((s) => s.email === null)).toBe(true);

      const result = await call(core, 'runJob', { id, by: dana });
      expect(result.status).toBe('completed');
      expect(result.steps.filter((s) => s.source === 'registrant').every((s) => s.verified && s.email !== null)).toBe(true);
      expect(result.steps.find((s) => s.email === PRIVATE)).toMatchObject({ event_id: '81234567890', verified: true });

      // Each address is suppressed; the dismissed namesake is untouched.
      const after = await call(core, 'findSubject', { emails: [SUBJECT, PRIVATE, NAMESAKE, OTHER_ERIKA] });
      expect(after.addresses.map((a) => [a.email, a.suppressed, a.erased_by?.request_id ?? null])).toEqual([
        [SUBJECT, true, id],
        [PRIVATE, true, id],
        [NAMESAKE, true, id],
        [OTHER_ERIKA, false, null],
      ]);
      expect(after.matches.filter((m) => m.email === OTHER_ERIKA)).toHaveLength(1);

      // After the job, no address can be added.
      const late = await core.dispatch('addRequestAddress', { id, email: 'erika.work@example.org', by: dana });
      expect(late).toMatchObject({ ok: false, error: { code: 'INVALID_STATE', message: expect.stringContaining('file a new request') } });

      // Zoom confirms; the grace period over, every full address goes, not only the first.
      await call(core, 'updateProcessorTask', { id, status: 'answered', outcome: 'erased', by: dana });
      const db = core.store.db;
      const retention = new RequestRetention({ db, now: () => new Date(Date.now() + 2 * 86_400_000), register: core.requests });
      expect(retention.purgeAddresses(1)).toBe(1);
      request = await call(core, 'getRequest', { id });
      expect(request.emails).toEqual([]);
      expect(request.addresses.map((a) => [a.email, a.masked])).toEqual([
        [null, 'e***@example.com'],
        [null, 'e***@example.net'],
        [null, 'e***@example.org'],
      ]);
      expect(db.prepare('SELECT count(*) FROM request_suggestions WHERE email IS NOT NULL').pluck().get()).toBe(0);
      // The job's steps still say which address, masked.
      const steps = (await call(core, 'getJobStatus', { id })).result!.steps.filter((s) => s.event_id === '81234567891' && s.source === 'registrant');
      expect(steps.map((s) => s.email).sort()).toEqual(['e***@example.com', 'e***@example.org']);
    } finally {
      await core.close();
      await box.close();
    }
  });

  it('a request with one address behaves as before: verify-identity without --email verifies it', async () => {
    const box = await sandbox({ seed: 'empty' });
    const core = await connectedCore(box);
    try {
      const filed = await call(core, 'createRequest', { type: 'access', email: SUBJECT, by: dana });
      expect(filed.emails).toEqual([SUBJECT]);
      const request = await call(core, 'verifyIdentity', { id: filed.id, method: 'existing_account', by: dana });
      expect(request).toMatchObject({ status: 'identity_verified', emails: [SUBJECT], identity: { method: 'existing_account', by: dana } });
      expect(request.timeline.at(-1)).toMatchObject({ action: 'verify_identity', reason: 'e***@example.com: existing_account' });
      // Added while approved: back to received, the approval gone with it (it covered one address).
      await call(core, 'approveRequest', { id: filed.id, by: 'Rui Reviewer' });
      const added = await call(core, 'addRequestAddress', { id: filed.id, email: PRIVATE, by: dana });
      expect(added).toMatchObject({ status: 'received', decision: null, identity: null, emails: [SUBJECT, PRIVATE] });
      expect(added.timeline.at(-1)).toMatchObject({ action: 'add_address', from: 'approved', to: 'received', reason: 'e***@example.net' });

      // Refused, then past the retention period: every address and every method goes, the masked addresses and hashes stay.
      await call(core, 'verifyIdentity', { id: filed.id, email: PRIVATE, method: 'existing_account', by: dana });
      await call(core, 'refuseRequest', { id: filed.id, by: dana, reason: 'the subject withdrew the request' });
      const retention = new RequestRetention({ db: core.store.db, now: () => new Date(Date.now() + 3 * 366 * 86_400_000), register: core.requests });
      expect(retention.purgeExpired(2)).toBe(1);
      const purged = await call(core, 'getRequest', { id: filed.id });
      expect(purged.emails).toEqual([]);
      expect(purged.addresses.map((a) => [a.email, a.masked, a.identity?.method])).toEqual([
        [null, 'e***@example.com', '(purged)'],
        [null, 'e***@example.net', '(purged)'],
      ]);
    } finally {
      await core.close();
      await box.close();
    }
  });
});
