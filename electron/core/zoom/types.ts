// Shapes Zoom returns (zoom-api.md §3-§4), as far as DSR Desk reads them. The sandbox emits the
// same shapes, so a mismatch shows up in its own tests.

import { REGISTRANT_STATUS_VALUES, type ListedStatus } from '../../../shared/changes';

export type RegistrantStatus = ListedStatus;
export const REGISTRANT_STATUSES: readonly RegistrantStatus[] = REGISTRANT_STATUS_VALUES;

export interface ZoomRegistrant {
  id: string;
  email: string;
  first_name: string;
  last_name?: string;
  address?: string;
  city?: string;
  state?: string;
  zip?: string;
  country?: string;
  phone?: string;
  industry?: string;
  org?: string;
  job_title?: string;
  purchasing_time_frame?: string;
  role_in_purchase_process?: string;
  no_of_employees?: string;
  comments?: string;
  custom_questions?: { title: string; value: string }[];
  status: RegistrantStatus;
  create_time: string;
  join_url?: string;
  language?: string;
  /** Meeting registrants only (zoom-api.md §4.1). */
  participant_pin_code?: number;
}

/** GET-one's answer: any status string, since a self-cancelled registrant answers "all" (zoom-api.md §3.2). */
export type ZoomRegistrantRecord = Omit<ZoomRegistrant, 'status'> & { status: string };

export interface ZoomOccurrence {
  occurrence_id: string;
  start_time: string;
  duration: number;
  status: 'available' | 'deleted';
}

/** A webinar or meeting as `GET /users/{id}/webinars|meetings` lists it (meetings add `pmi`, no settings). */
export interface ZoomEventSummary {
  id: number;
  uuid: string;
  host_id: string;
  topic: string;
  type: number;
  start_time?: string;
  duration?: number;
  timezone?: string;
  created_at: string;
  join_url: string;
  pmi?: number | string;
}

/** GET one webinar or meeting: with its settings, which say whether it takes registration. */
export interface ZoomEvent extends ZoomEventSummary {
  host_email?: string;
  agenda?: string;
  occurrences?: ZoomOccurrence[];
  settings: { approval_type: 0 | 1 | 2; registration_type?: 1 | 2 | 3; [key: string]: unknown };
}

export interface ZoomUser {
  id: string;
  email: string;
  first_name?: string;
  last_name?: string;
  account_id?: string;
  type?: number;
}

export interface ZoomParticipant {
  id?: string;
  user_id?: string;
  name: string;
  user_email: string;
  join_time: string;
  leave_time: string;
  duration: number;
  registrant_id?: string;
  status?: string;
}

export interface ZoomQaEntry {
  name: string;
  email: string;
  user_id?: string;
  question_details: {
    question: string;
    question_id?: string;
    create_time?: string;
    question_status?: string;
    answer_details?: { name: string; email: string; content: string; type: string; create_time: string }[];
  }[];
}

export interface ZoomPollEntry {
  name: string;
  first_name?: string;
  last_name?: string;
  email: string;
  question_details: { question: string; answer: string; polling_id: string; date_time: string }[];
}

export interface ZoomSurveyEntry {
  name: string;
  first_name?: string;
  last_name?: string;
  email: string;
  answer_details: { question: string; question_id: string; answer: string; date_time: string }[];
}

export interface ZoomPanelist {
  id: string;
  name: string;
  email: string;
  join_url: string;
}

export interface ZoomPastInstance {
  uuid: string;
  start_time: string;
}

export interface Page<T> {
  items: T[];
  total_records: number | null;
  /** The HTTP status Zoom answered this page with. */
  httpStatus: number;
}
