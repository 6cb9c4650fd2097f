import type { Core } from '../../electron/core/service';
import type { RequestType } from '../../shared/requests';
import type { ZoomSandbox } from '../../electron/core/sandbox/server';
import { DEMO_SUBJECT } from '../../electron/core/sandbox/seed';
import { control, rawApi } from '../zoom/sandbox-helpers';
import { call } from '../sync/sync-helpers';

export const SUBJECT = DEMO_SUBJECT.email;
/** Another person whose address is one letter away from the subject's. */
export const LOOKALIKE = 'erika.musterman@example.com';

export interface SubjectWebinars {
  pending: number;
  denied: number;
  recurring: number;
  occurrence: string;
}

/**
 * The demo account (the subject approved in two upcoming webinars and in a past one where they
 * attended, asked, voted and answered a survey) plus: a pending registration, one a host
 * cancelled, one for a single occurrence of a recurring webinar, and a lookalike address.
 */
export async function seedSubject(box: ZoomSandbox): Promise<SubjectWebinars> {
  const pending = (await control<{ id: number }>(box, 'POST', 'webinars', { approval: 1, registrants: { approved: 3, pending: 2 } })).id;
  await control(box, 'POST', 'register', { webinar_id: pending, email: SUBJECT, first_name: 'Erika', last_name: 'Mustermann' });
  const denied = (await control<{ id: number }>(box, 'POST', 'webinars', { registrants: { approved: 3 } })).id;
  await control(box, 'POST', 'register', { webinar_id: denied, email: SUBJECT, first_name: 'Erika', last_name: 'Mustermann' });
  await control(box, 'POST', 'host-action', { webinar_id: denied, email: SUBJECT, action: 'cancel' });
  const recurring = (await control<{ id: number }>(box, 'POST', 'webinars', { occurrences: 3, registration_type: 2 })).id;
  const occurrences = ((await rawApi(box, 'GET', `/webinars/${recurring}`)).body as { occurrences: { occurrence_id: string }[] }).occurrences;
  const occurrence = occurrences[1]!.occurrence_id;
  await control(box, 'POST', 'register', { webinar_id: recurring, email: SUBJECT, first_name: 'Erika', last_name: 'Mustermann', occurrence_ids: occurrence });
  await control(box, 'POST', 'register', { webinar_id: '81234567890', email: LOOKALIKE, first_name: 'Erik', last_name: 'Musterman' });
  return { pending, denied, recurring, occurrence };
}

/** Files an erasure (or other) request for the subject and takes it to approved. */
export async function approvedRequest(core: Core, type: RequestType = 'erasure', email = SUBJECT): Promise<string> {
  const { id } = await call(core, 'createRequest', { type, email, by: 'Dana DPO' });
  await call(core, 'verifyIdentity', { id, method: 'reply_from_registered_address', by: 'Dana DPO' });
  // An erasure is approved as the window approves it: on an Art 17(1) ground, the Art 17(3) exceptions checked.
  await call(core, 'approveRequest', { id, by: 'Rui Reviewer', ...(type === 'erasure' ? { ground: '17(1)(b)', exceptions_checked: true } : {}) });
  return id;
}
