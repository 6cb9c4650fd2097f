// GDPR Art 12(3) deadlines, counted as the UK ICO counts them: from the day of receipt to the same
// date next month; the last day of that month when the date doesn't exist there (31 Jan -> 28/29
// Feb); a weekend or holiday moves it to the next working day. An extension runs to three months
// from the same start. Calendar dates are those of the organisation's time zone: a request received
// at 23:30 in Berlin on 31 January was received on 31 January, whatever UTC says.
// Pure: the time zone and holidays are passed in.

export interface LocalDate {
  year: number;
  month: number; // 1-12
  day: number;
}

const DAY_MS = 86_400_000;

export function formatLocalDate(date: LocalDate): string {
  return `${String(date.year).padStart(4, '0')}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** One formatter per time zone: building one costs far more than using it (a report dates thousands of rows). */
const dayFormats = new Map<string, Intl.DateTimeFormat>();

function dayFormat(timeZone: string): Intl.DateTimeFormat {
  let format = dayFormats.get(timeZone);
  if (!format) dayFormats.set(timeZone, (format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })));
  return format;
}

/** The calendar date an instant falls on in a time zone, as YYYY-MM-DD (en-CA's own order). */
export function localDayOf(instant: Date, timeZone: string): string {
  return dayFormat(timeZone).format(instant);
}

/** The calendar date an instant falls on in a time zone. */
export function localDateOf(instant: Date, timeZone: string): LocalDate {
  const parts = dayFormat(timeZone).formatToParts(instant);
  const part = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  return { year: part('year'), month: part('month'), day: part('day') };
}

/** The offset of a time zone from UTC at an instant, in ms (Berlin in winter: +3,600,000). */
function offsetMs(instant: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(instant);
  const part = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  const asUtc = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/** The last instant of a local calendar day (23:59:59.999 there), DST included. */
export function endOfLocalDay(date: LocalDate, timeZone: string): Date {
  const wallClock = Date.UTC(date.year, date.month - 1, date.day, 23, 59, 59, 999);
  // The offset at the guess is right unless a DST change lies between; a second pass settles it.
  let instant = wallClock - offsetMs(new Date(wallClock), timeZone);
  instant = wallClock - offsetMs(new Date(instant), timeZone);
  return new Date(instant);
}

export function addMonthsClamped(date: LocalDate, months: number): LocalDate {
  const index = date.year * 12 + (date.month - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return { year, month, day: Math.min(date.day, daysInMonth(year, month)) };
}

function addDays(date: LocalDate, days: number): LocalDate {
  const next = new Date(Date.UTC(date.year, date.month - 1, date.day) + days * DAY_MS);
  return { year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate() };
}

/** The date itself when it is a working day, else the next one (Saturday, Sunday and `holidays` are not). */
export function nextWorkingDay(date: LocalDate, holidays: ReadonlySet<string> = new Set()): LocalDate {
  let current = date;
  for (;;) {
    const weekday = new Date(Date.UTC(current.year, current.month - 1, current.day)).getUTCDay();
    if (weekday !== 0 && weekday !== 6 && !holidays.has(formatLocalDate(current))) return current;
    current = addDays(current, 1);
  }
}

export interface DeadlineRules {
  timeZone: string;
  /** Public holidays as YYYY-MM-DD in that time zone. */
  holidays?: ReadonlySet<string>;
}

/**
 * When a request received at `receivedAt` must be answered: `months` after the local receipt date
 * (1 for the deadline, 3 with the Art 12(3) extension), as the end of that working day.
 */
export function dueAt(receivedAt: Date, months: 1 | 2 | 3, rules: DeadlineRules): Date {
  const received = localDateOf(receivedAt, rules.timeZone);
  const due = nextWorkingDay(addMonthsClamped(received, months), rules.holidays);
  return endOfLocalDay(due, rules.timeZone);
}

/** Whole calendar days from today to the due date in the organisation's time zone; negative once overdue. */
export function daysLeft(due: Date, now: Date, timeZone: string): number {
  const a = localDateOf(now, timeZone);
  const b = localDateOf(due, timeZone);
  return Math.round((Date.UTC(b.year, b.month - 1, b.day) - Date.UTC(a.year, a.month - 1, a.day)) / DAY_MS);
}

export function isOverdue(due: Date, now: Date): boolean {
  return now.getTime() > due.getTime();
}

/** Whether a string names a time zone this runtime knows. */
export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}
