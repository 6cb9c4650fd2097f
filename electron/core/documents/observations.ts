import type { Language } from '../../../shared/settings';

// What a job saw when it read Zoom back, as a sentence in either language: the journal keeps the
// key and its values beside the English message, so the evidence says it in the reader's
// language and the command line's JSON keeps its English words. It sits with the documents
// (below jobs in the core's layers) because the evidence reads what the jobs write.

const TEXTS = {
  en: {
    registrationGone: 'Zoom no longer holds this registration.',
    webinarGone: 'The webinar no longer exists on Zoom.',
    cancelTookEffect: 'Reading back finds it denied: the earlier cancel took effect.',
    alreadyDenied: 'Already denied on Zoom: the join link is revoked.',
    cancelledByRegistrant: 'Zoom holds it as "{{status}}" (cancelled by the registrant): no join link to revoke.',
    deleteTookEffect: '{{earlier}} Reading back: no such registrant, so the delete took effect.',
    deleteTookEffectWebinar: '{{earlier}} Reading back: the webinar no longer exists, so the delete took effect.',
    deleteWebinarGone: 'The webinar no longer exists on Zoom: its registrations went with it.',
    deleteRefusedGone: '{{answer}}; reading back confirms it is gone.',
    deleteRefusedHeld: '{{answer}}: Zoom refused it and still holds the registration (status "{{status}}"): named in the processor request to Zoom.',
    verifiedGone: 'Gone: Zoom answers "registrant does not exist".',
    verifiedGoneWithWebinar: 'Gone with its webinar: Zoom answers that the webinar does not exist.',
    heldNotLive: 'Zoom holds it as "{{status}}": no join link, no way back in without a new registration.',
    stillHeld: 'Zoom still holds the registration (status "{{status}}").',
    stillHeldHandedOver: 'Zoom still holds the registration (status "{{status}}"). It is named in the processor request to Zoom.',
    listsWebinarGone: 'The webinar no longer exists on Zoom: no list holds the address.',
    listsFound_one: 'Found {{count}} registration of the address the plan did not know ({{ids}}): added to the job, and swept again after it.',
    listsFound_other: 'Found {{count}} registrations of the address the plan did not know ({{ids}}): added to the job, and swept again after them.',
    listsStillHold: "The address is still in Zoom's lists: {{ids}}.",
    listsClear_one: "None of Zoom's three lists holds the address ({{count}} page read).",
    listsClear_other: "None of Zoom's three lists holds the address ({{count}} pages read).",
  },
  de: {
    registrationGone: 'Zoom führt diese Registrierung nicht mehr.',
    webinarGone: 'Das Webinar besteht bei Zoom nicht mehr.',
    cancelTookEffect: 'Die Nachprüfung findet sie abgelehnt: Die frühere Stornierung hat gewirkt.',
    alreadyDenied: 'Bei Zoom bereits abgelehnt: Der Teilnahmelink ist widerrufen.',
    cancelledByRegistrant: 'Zoom führt sie als „{{status}}“ (von der Person selbst storniert): kein Teilnahmelink zu widerrufen.',
    deleteTookEffect: 'Die frühere Löschanfrage blieb ohne verlässliche Antwort; die Nachprüfung findet keine solche Registrierung, die Löschung hat also gewirkt.',
    deleteTookEffectWebinar: 'Die frühere Löschanfrage blieb ohne verlässliche Antwort; die Nachprüfung findet das Webinar nicht mehr, die Löschung hat also gewirkt.',
    deleteWebinarGone: 'Das Webinar besteht bei Zoom nicht mehr; seine Registrierungen sind mit ihm gelöscht.',
    deleteRefusedGone: 'Zoom hat die Löschanfrage abgelehnt; die Nachprüfung bestätigt, dass die Registrierung nicht mehr besteht.',
    deleteRefusedHeld: 'Zoom hat die Löschanfrage abgelehnt und führt die Registrierung weiter (Status „{{status}}“): im Ersuchen an Zoom genannt.',
    verifiedGone: 'Gelöscht: Zoom antwortet „registrant does not exist“.',
    verifiedGoneWithWebinar: 'Mit dem Webinar gelöscht: Zoom antwortet, dass das Webinar nicht besteht.',
    heldNotLive: 'Zoom führt sie als „{{status}}“: kein Teilnahmelink, kein Weg zurück ohne neue Registrierung.',
    stillHeld: 'Zoom führt die Registrierung weiter (Status „{{status}}“).',
    stillHeldHandedOver: 'Zoom führt die Registrierung weiter (Status „{{status}}“). Sie ist im Ersuchen an Zoom genannt.',
    listsWebinarGone: 'Das Webinar besteht bei Zoom nicht mehr: Keine Liste führt die Adresse.',
    listsFound_one: '{{count}} Registrierung der Adresse gefunden, die der Plan nicht kannte ({{ids}}): in den Auftrag aufgenommen und danach erneut gesucht.',
    listsFound_other: '{{count}} Registrierungen der Adresse gefunden, die der Plan nicht kannte ({{ids}}): in den Auftrag aufgenommen und danach erneut gesucht.',
    listsStillHold: 'Die Adresse steht noch in den Listen von Zoom: {{ids}}.',
    listsClear_one: 'Keine der drei Listen von Zoom führt die Adresse ({{count}} Seite gelesen).',
    listsClear_other: 'Keine der drei Listen von Zoom führt die Adresse ({{count}} Seiten gelesen).',
  },
} as const;

type Key = keyof (typeof TEXTS)['en'];
/** A key, or one that takes a count (its _one and _other forms). */
type Counted<K> = K extends `${infer Base}_one` ? Base : K extends `${infer Base}_other` ? Base : K;
export type ObservationKey = Counted<Key>;
export type ObservationParams = Record<string, string | number>;
export interface Observation {
  key: ObservationKey;
  params: ObservationParams;
}

/** An observation as the reader's language says it (a count picks the singular or the plural). */
export function sayObservation(lang: Language, { key, params }: Observation): string {
  const texts = TEXTS[lang] as Record<string, string>;
  const plural = typeof params.count === 'number' ? new Intl.PluralRules(lang).select(params.count) : null;
  const template = (plural && texts[`${key}_${plural}`]) ?? (plural ? texts[`${key}_other`] : undefined) ?? texts[key] ?? key;
  return template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(params[name] ?? ''));
}

/** The journal's record of an observation: the English message, and the observation to say it again in another language. */
export function observed(key: ObservationKey, params: ObservationParams = {}): { message: string; note: Observation } {
  const note = { key, params };
  return { message: sayObservation('en', note), note };
}

/** An observation the journal stored (JSON), or null for one recorded before observations were kept. */
export function storedObservation(json: string | null): Observation | null {
  if (!json) return null;
  try {
    const parsed = JSON.parse(json) as Observation;
    return typeof parsed.key === 'string' && parsed.params && typeof parsed.params === 'object' ? parsed : null;
  } catch {
    return null;
  }
}
