import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { LANGUAGES, type Language } from '../../../shared/settings';
import { de } from './de';
import { en } from './en';

// English and German, complete: test/i18n.test.ts fails when a key is missing in either.

export const resources = { en: { translation: en }, de: { translation: de } } as const;

/** The operating system's preference among the two: German if it comes before English, else English. */
export function osLanguage(): Language {
  for (const tag of navigator.languages ?? [navigator.language]) {
    const base = tag.slice(0, 2).toLowerCase();
    if ((LANGUAGES as readonly string[]).includes(base)) return base as Language;
  }
  return 'en';
}

void i18n.use(initReactI18next).init({
  resources,
  lng: osLanguage(),
  fallbackLng: false,
  interpolation: { escapeValue: false },
  returnNull: false,
});

export async function applyLanguage(preference: Language | null): Promise<void> {
  const lang = preference ?? osLanguage();
  if (i18n.language !== lang) await i18n.changeLanguage(lang);
  document.documentElement.lang = lang;
}

export default i18n;
