import type { ERASURE_GROUNDS, IDENTITY_METHODS } from './requests';
import type { Language } from './settings';

// The choices a person makes at identity verification and at approval, in words, once for the
// window and the documents alike; the register stores the code, each reader gets its language.

type Ground = (typeof ERASURE_GROUNDS)[number];
type Method = (typeof IDENTITY_METHODS)[number];

/** Art 17(1)(a)-(f), as a DPO names them (the article itself is cited beside, in the reader's style). */
export const ERASURE_GROUND_WORDS: Record<Language, Record<Ground, string>> = {
  en: {
    '17(1)(a)': 'the data are no longer needed for their purpose',
    '17(1)(b)': 'consent withdrawn, and no other legal basis',
    '17(1)(c)': 'the subject objected, and no overriding legitimate grounds',
    '17(1)(d)': 'the data were processed unlawfully',
    '17(1)(e)': 'erasure is required by a legal obligation',
    '17(1)(f)': "a child's data collected for an online service",
  },
  de: {
    '17(1)(a)': 'die Daten sind für ihren Zweck nicht mehr notwendig',
    '17(1)(b)': 'Einwilligung widerrufen, keine andere Rechtsgrundlage',
    '17(1)(c)': 'Widerspruch eingelegt, keine vorrangigen berechtigten Gründe',
    '17(1)(d)': 'die Daten wurden unrechtmäßig verarbeitet',
    '17(1)(e)': 'Löschung zur Erfüllung einer rechtlichen Verpflichtung',
    '17(1)(f)': 'Daten eines Kindes, für einen Online-Dienst erhoben',
  },
};

export const IDENTITY_METHOD_WORDS: Record<Language, Record<Method, string>> = {
  en: {
    reply_from_registered_address: 'reply from the registered email address',
    existing_account: 'confirmed through an existing account',
    document_seen_not_kept: 'identity document seen, no copy kept',
  },
  de: {
    reply_from_registered_address: 'Antwort von der registrierten E-Mail-Adresse',
    existing_account: 'über ein bestehendes Konto bestätigt',
    document_seen_not_kept: 'Ausweisdokument eingesehen, keine Kopie aufbewahrt',
  },
};

/** One article reference in German style: 28(3)(e) → Art. 28 Abs. 3 lit. e. */
export function germanArticle(article: string): string {
  const [, number, paragraph, point] = /^(\d+)(?:\((\d+)\))?(?:\(([a-z])\))?$/.exec(article) ?? [];
  if (!number) return `Art. ${article}`;
  return ['Art.', number, paragraph ? `Abs. ${paragraph}` : null, point ? `lit. ${point}` : null].filter(Boolean).join(' ');
}

/** An article as the window cites it beside a word (the documents add the regulation's name): Art 17(1)(b) / Art. 17 Abs. 1 lit. b. */
export function articleIn(lang: Language, article: string): string {
  return lang === 'de' ? germanArticle(article) : `Art ${article}`;
}

/** A recorded identity method in words: one of the list's codes in the reader's language, anything else as written. */
export function identityMethodIn(lang: Language, method: string): string {
  return (IDENTITY_METHOD_WORDS[lang] as Record<string, string>)[method] ?? method;
}

/**
 * A timeline note of identity checks, "e***@example.com: existing_account; a***@web.de: …" (as the
 * register writes it, one part per address), each method put in words by `word` (a method
 * written out, not from the list, is passed through as it is).
 */
export function identityChecksIn(reason: string, word: (method: string) => string): string {
  return reason
    .split('; ')
    .map((part) => {
      const at = part.indexOf(': ');
      return at < 0 ? part : `${part.slice(0, at)}: ${word(part.slice(at + 2))}`;
    })
    .join('; ');
}

/** Timeline actions whose note is identityChecksIn's. */
export const IDENTITY_CHECK_ACTIONS: readonly string[] = ['verify_identity', 'address_verified'];
