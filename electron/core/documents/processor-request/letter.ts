import type { Residual } from '../../../../shared/jobs';
import { REQUEST_ARTICLES } from '../../../../shared/requests';
import type { Settings } from '../../../../shared/settings';

// The processor request as plain text in English: written by the job when it leaves something with
// Zoom and stored with its task (tasks.ts), for the CLI and the window. document.ts typesets the
// letter to send, in English or German, as a PDF.

/** Zoom's own words for the two kinds: the letter names each event as Zoom's portal does. */
const KIND_WORDS = { webinar: 'Webinar', meeting: 'Meeting' } as const;

const SOURCE_WORDS: Record<string, string> = {
  participant: 'attendance (participant report) records',
  absentee: 'absentee records',
  qa: 'Q&A entries',
  poll: 'poll answers',
  survey: 'survey answers',
  panelist: 'panelist entries',
};

/**
 * The processor request to Zoom (Art 28(3)(e), Art 19) for what its API can't erase: report
 * records, registrations Zoom refused to delete, the address on blocked lists, and registrations
 * no API shows. The address itself goes separately, never into a stored letter.
 */
export function processorLetter(requestId: string, residual: Residual[], settings: Settings): string {
  const controller = settings.organisation_name ?? 'The controller';
  const records = residual.filter((r) => r.source !== 'registrant' && r.source !== 'blocked_list');
  const refused = residual.filter((r) => r.source === 'registrant');
  const blocked = residual.filter((r) => r.source === 'blocked_list').filter((r, i, all) => all.findIndex((o) => o.event_id === r.event_id) === i);
  return [
    'To: Zoom Video Communications, Inc., Privacy team',
    `From: ${controller}${settings.dpo_email ? `, Data Protection Officer <${settings.dpo_email}>` : ''}`,
    `Subject: Erasure request ${requestId} (GDPR ${REQUEST_ARTICLES.erasure}): data your API cannot erase`,
    '',
    `${controller} is the controller of the webinars and meetings below, and Zoom processes their data on our behalf. We received an erasure`,
    'request from a data subject and have erased what your API allows (their registrations). Under Article 28(3)(e) GDPR and our',
    'data processing agreement, please erase the following, which remain with Zoom, and confirm in writing when it is done, so that',
    'we can meet our own duties under Articles 12(3), 17 and 19.',
    '',
    ...(records.length > 0
      ? ['Records your API offers no way to erase:', ...records.map((r) => `- ${KIND_WORDS[r.event_type]} ${r.event_id}: ${r.records} ${SOURCE_WORDS[r.source] ?? r.source}`), '']
      : []),
    ...(refused.length > 0
      ? [
          'Registrations your API refused to delete (please delete them, including any copy shown in the web portal):',
          ...refused.map((r) => `- ${KIND_WORDS[r.event_type]} ${r.event_id}, registrant ${r.registrant_id}${r.reason ? `: ${r.reason}` : ''}`),
          '',
        ]
      : []),
    ...(blocked.length > 0
      ? [
          'The address on the list of addresses blocked from registering, which a cancelled or denied registration leaves behind:',
          ...blocked.map((r) => `- ${KIND_WORDS[r.event_type]} ${r.event_id}`),
          '',
        ]
      : []),
    "Any registration of this address for our account's webinars and meetings that your API does not show: in particular registrations the data",
    'subject cancelled themselves before we first read that event, which no list returns and whose IDs we therefore never learnt.',
    '',
    `The data subject's email address will be sent to you separately, quoting ${requestId}; please do not keep it beyond this request.`,
  ].join('\n');
}
