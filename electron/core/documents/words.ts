import i18next, { type TFunction } from 'i18next';
import { germanArticle } from '../../../shared/legal-words';
import type { Language, Settings } from '../../../shared/settings';
import type { RequestRecord } from './request-record';
import type { Db } from '../store/database';
import type { EventKind } from '../../../shared/events';

// How documents say things to a person, in English or German: webinars and meetings by title, kind and date, times
// in the register's time zone, durations with units, statuses in words, real plurals (i18next's,
// on Intl.PluralRules), and each article of the GDPR in the style of the letter's language
// (Article 17(3)(e) GDPR, Art. 17 Abs. 3 lit. e DSGVO). Each document brings its own texts.

export type Texts = Record<string, unknown>;

/** What a document about one request is made from. */
export interface RequestDocumentContext {
  record: RequestRecord;
  settings: Settings;
  lang: Language;
  generatedAt: Date;
  /** The register's time zone: dates and times are given in it. */
  timeZone: string;
  /** The organisation's settings are incomplete: every page says DRAFT. */
  draft: boolean;
  /** The mirror's names of webinars and meetings (title, kind and date). */
  webinars: (id: string) => EventName | undefined;
}

export interface EventName {
  kind: EventKind;
  topic: string | null;
  start_time: string | null;
  /** The Zoom account hosting it, where the register holds more than one (else null: naming it would say nothing). */
  account: string | null;
  /** Zoom's own ID of that account (what Zoom's privacy team needs), where known. */
  account_id?: string | null;
}

export interface Words {
  lang: Language;
  t: TFunction;
  /** 4 January 2027 / 4. Januar 2027, in the register's time zone. */
  date(iso: string): string;
  /** 4 January 2027, 23:59 CET. */
  dateTime(iso: string): string;
  /** To the second, for evidence: 4 Jan 2027, 23:59:58 CET. */
  instant(iso: string): string;
  /** A calendar day already in the register's zone (YYYY-MM-DD), short: 4 Jan 2027 / 04.01.2027. */
  day(ymd: string): string;
  /** 57 minutes, 1 hour 5 minutes. */
  duration(seconds: number): string;
  /** “Members' meeting” (meeting, 19 December 2026), or, where the mirror never learnt its title, meeting 8523… (title unknown). */
  event(id: string): string;
  /** An article as the language cites it: law('17(3)(e)') → Article 17(3)(e) GDPR / Art. 17 Abs. 3 lit. e DSGVO. */
  law(...articles: string[]): string;
}

const LOCALE: Record<Language, string> = { en: 'en-GB', de: 'de-DE' };

function lawIn(lang: Language, articles: string[]): string {
  if (lang === 'de') {
    const cited = articles.map(germanArticle);
    return `${cited.length === 1 ? cited[0] : `${cited.slice(0, -1).join(', ')} und ${cited.at(-1)}`} DSGVO`;
  }
  if (articles.length === 1) return `Article ${articles[0]} GDPR`;
  return `Articles ${articles.slice(0, -1).join(', ')} and ${articles.at(-1)} GDPR`;
}

/** A request's status and channel in words: evidence, report and letters say them alike. */
const STATUS_EN = {
  received: 'received',
  identity_verified: 'identity verified',
  approved: 'approved',
  refused: 'refused',
  running: 'job running',
  completed: 'completed',
  partial: 'partly done',
  failed: 'failed',
  on_hold: 'on hold',
  waiting_for_processor: 'waiting for Zoom',
};
const STATUS_DE = {
  received: 'eingegangen',
  identity_verified: 'Identität geprüft',
  approved: 'genehmigt',
  refused: 'abgelehnt',
  running: 'Auftrag läuft',
  completed: 'abgeschlossen',
  partial: 'teilweise erledigt',
  failed: 'fehlgeschlagen',
  on_hold: 'zurückgestellt',
  waiting_for_processor: 'wartet auf Zoom',
};

const COMMON: Record<Language, Texts> = {
  en: {
    eventUnknown: '{{kind}} {{id}} (its title is no longer known)',
    kind: { webinar: 'webinar', meeting: 'meeting' },
    account: 'Zoom account “{{name}}”',
    hours_one: '{{count}} hour',
    hours_other: '{{count}} hours',
    minutes_one: '{{count}} minute',
    minutes_other: '{{count}} minutes',
    seconds_one: '{{count}} second',
    seconds_other: '{{count}} seconds',
    page: 'Page {{page}} of {{pages}}',
    statusName: STATUS_EN,
    channelName: { email: 'email', letter: 'letter', form: 'web form', phone: 'phone' },
  },
  de: {
    eventUnknown: '{{kind}} {{id}} (Titel nicht mehr bekannt)',
    kind: { webinar: 'Webinar', meeting: 'Meeting' },
    account: 'Zoom-Konto „{{name}}“',
    hours_one: '{{count}} Stunde',
    hours_other: '{{count}} Stunden',
    minutes_one: '{{count}} Minute',
    minutes_other: '{{count}} Minuten',
    seconds_one: '{{count}} Sekunde',
    seconds_other: '{{count}} Sekunden',
    page: 'Seite {{page}} von {{pages}}',
    statusName: STATUS_DE,
    channelName: { email: 'E-Mail', letter: 'Brief', form: 'Webformular', phone: 'Telefon' },
  },
};

/** The names of the events a document mentions, from the mirror (kept after an event is deleted on Zoom). */
export function eventNames(db: Db): (id: string) => EventName | undefined {
  const severalAccounts = (db.prepare('SELECT count(DISTINCT account) FROM events').pluck().get() as number) > 1;
  const get = db.prepare(
    `SELECT e.kind, e.topic, e.start_time, ${severalAccounts ? 'e.account' : 'NULL AS account'}, z.account_id FROM events e LEFT JOIN zoom_accounts z ON z.name = e.account WHERE e.id = ?`,
  );
  const cache = new Map<string, EventName | undefined>();
  return (id) => {
    if (!cache.has(id)) cache.set(id, get.get(id) as EventName | undefined);
    return cache.get(id);
  };
}

/** The words of one document in one language: its own texts over the common ones. */
export function wordsFor(lang: Language, timeZone: string, texts: Record<Language, Texts>, names: (id: string) => EventName | undefined = () => undefined): Words {
  const i18n = i18next.createInstance();
  void i18n.init({
    lng: lang,
    fallbackLng: false,
    initAsync: false,
    resources: { [lang]: { translation: { ...COMMON[lang], ...texts[lang] } } },
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  const t = i18n.t.bind(i18n) as TFunction;
  const locale = LOCALE[lang];
  const dateFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone });
  const dateTimeFormat = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone, timeZoneName: 'short' });
  const dayFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
  const instantFormat = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', timeZone, timeZoneName: 'short' });
  return {
    lang,
    t,
    date: (iso) => dateFormat.format(new Date(iso)),
    dateTime: (iso) => dateTimeFormat.format(new Date(iso)),
    instant: (iso) => instantFormat.format(new Date(iso)),
    day: (ymd) => dayFormat.format(new Date(`${ymd}T12:00:00Z`)),
    duration: (seconds) => {
      const whole = Math.max(0, Math.round(seconds));
      if (whole < 60) return t('seconds', { count: whole });
      const hours = Math.floor(whole / 3600);
      const minutes = Math.round((whole % 3600) / 60);
      return [hours > 0 ? t('hours', { count: hours }) : null, minutes > 0 || hours === 0 ? t('minutes', { count: minutes }) : null].filter(Boolean).join(' ');
    },
    event: (id) => {
      const name = names(id);
      // The kind goes in the brackets, not before the title: German would have to decline an article before it.
      const kind = t(`kind.${name?.kind ?? 'webinar'}`);
      // Where several Zoom accounts are mirrored, every line names the one that holds the event.
      const account = name?.account ? ` · ${t('account', { name: name.account })}` : '';
      if (!name?.topic) return `${t('eventUnknown', { id, kind })}${account}`;
      const quoted = lang === 'de' ? `„${name.topic}“` : `“${name.topic}”`;
      return `${quoted} (${[kind, name.start_time ? dateFormat.format(new Date(name.start_time)) : null].filter(Boolean).join(', ')})${account}`;
    },
    law: (...articles) => lawIn(lang, articles),
  };
}
