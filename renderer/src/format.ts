import { articleIn } from '../../shared/legal-words';
import { useTranslation } from 'react-i18next';
import { endOfLocalDay, localDayOf } from '../../shared/deadlines';
import { useDesk } from './desk-state';

// Dates in the register's time zone (the settings', else this computer's), always labelled with it,
// so a deadline never reads a day off; numbers with the language's separators.

const cache = new Map<string, Intl.DateTimeFormat>();
function formatter(lang: string, timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${lang}|${timeZone}|${JSON.stringify(options)}`;
  let format = cache.get(key);
  if (!format) cache.set(key, (format = new Intl.DateTimeFormat(lang === 'de' ? 'de-DE' : 'en-GB', { timeZone, ...options })));
  return format;
}

const numberFormats = new Map<string, Intl.NumberFormat>();
function numberFormat(lang: string): Intl.NumberFormat {
  let format = numberFormats.get(lang);
  if (!format) numberFormats.set(lang, (format = new Intl.NumberFormat(lang === 'de' ? 'de-DE' : 'en-GB')));
  return format;
}

export const osTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

export function useFormat() {
  const { i18n } = useTranslation();
  const timeZone = useDesk((s) => s.settings?.time_zone) ?? osTimeZone();
  const lang = i18n.language;
  const numbers = numberFormat(lang);
  return {
    /** An article beside a word, in the language's style: Art 17(1)(b) / Art. 17 Abs. 1 lit. b. */
    art: (article: string) => articleIn(lang === 'de' ? 'de' : 'en', article),
    timeZone,
    date: (iso: string | null | undefined) => (iso ? formatter(lang, timeZone, { day: 'numeric', month: 'short', year: 'numeric' }).format(new Date(iso)) : '–'),
    dateTime: (iso: string | null | undefined) =>
      iso ? formatter(lang, timeZone, { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' }).format(new Date(iso)) : '–',
    /** The calendar day of an instant in the register's zone, as YYYY-MM-DD. */
    day: (iso: string | Date) => localDayOf(new Date(iso), timeZone),
    /** Noon of a calendar day (YYYY-MM-DD) in the register's zone: a past day's instant for the core, whose deadlines count days. */
    noonOf: (day: string) => {
      const [year, month, date] = day.split('-').map(Number) as [number, number, number];
      return new Date(endOfLocalDay({ year, month, day: date }, timeZone).getTime() - 12 * 3_600_000).toISOString();
    },
    number: (n: number) => numbers.format(n),
  };
}
