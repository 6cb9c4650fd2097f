import { describe, expect, it } from 'vitest';
import { addMonthsClamped, daysLeft, dueAt, endOfLocalDay, isOverdue, isTimeZone, localDateOf, nextWorkingDay } from '../../shared/deadlines';

const berlin = { timeZone: 'Europe/Berlin' };

describe('Art 12(3) deadlines, counted as the ICO counts them', () => {
  // received (instant), time zone, months, holidays, due (local date, end of that day) and why
  const table: [string, string, 1 | 2 | 3, string[], string, string][] = [
    ['2026-09-03T09:00:00Z', 'Europe/Berlin', 1, [], '2026-10-05', 'same date next month is a Saturday: the next working day'],
    ['2026-03-31T09:00:00Z', 'Europe/Berlin', 1, [], '2026-04-30', '31 April does not exist: the last day of April'],
    ['2028-01-31T09:00:00Z', 'Europe/Berlin', 1, [], '2028-02-29', 'leap year: 29 February'],
    ['2027-01-31T09:00:00Z', 'Europe/Berlin', 1, [], '2027-03-01', '28 February 2027 is a Sunday: Monday 1 March'],
    ['2026-12-15T09:00:00Z', 'Europe/Berlin', 1, [], '2027-01-15', 'across the year end'],
    ['2026-06-30T23:00:00Z', 'Europe/Berlin', 1, [], '2026-08-03', 'received 1 July in Berlin (01:00 local): 1 August is a Saturday'],
    ['2026-06-30T23:00:00Z', 'UTC', 1, [], '2026-07-30', 'the same instant is 30 June in UTC'],
    ['2026-06-30T23:00:00Z', 'America/New_York', 1, [], '2026-07-30', 'and 30 June in New York'],
    ['2026-11-30T09:00:00Z', 'Europe/Berlin', 3, [], '2027-03-01', 'extended: three months from receipt, 28 Feb is a Sunday'],
    ['2026-11-25T09:00:00Z', 'Europe/Berlin', 1, ['2026-12-25', '2026-12-28'], '2026-12-29', 'holidays and a weekend roll it on'],
    ['2026-02-28T09:00:00Z', 'Europe/Berlin', 1, [], '2026-03-30', 'due after the switch to summer time'],
  ];

  it.each(table)('received %s (%s), %i month(s), holidays %j: due %s (%s)', (received, timeZone, months, holidays, due) => {
    const at = dueAt(new Date(received), months, { timeZone, holidays: new Set(holidays) });
    expect(localDateOf(at, timeZone)).toEqual(localDateOf(endOfLocalDay(parse(due), timeZone), timeZone));
    expect(at.toISOString()).toBe(endOfLocalDay(parse(due), timeZone).toISOString());
  });

  it('ends the due day at 23:59:59.999 local time, summer or winter', () => {
    expect(dueAt(new Date('2026-02-28T09:00:00Z'), 1, berlin).toISOString()).toBe('2026-03-30T21:59:59.999Z'); // CEST, UTC+2
    expect(dueAt(new Date('2026-12-15T09:00:00Z'), 1, berlin).toISOString()).toBe('2027-01-15T22:59:59.999Z'); // CET, UTC+1
    expect(dueAt(new Date('2026-12-15T09:00:00Z'), 1, { timeZone: 'UTC' }).toISOString()).toBe('2027-01-15T23:59:59.999Z');
  });

  it('clamps to the end of shorter months and rolls weekends forward', () => {
    expect(addMonthsClamped({ year: 2026, month: 1, day: 31 }, 1)).toEqual({ year: 2026, month: 2, day: 28 });
    expect(addMonthsClamped({ year: 2026, month: 12, day: 31 }, 2)).toEqual({ year: 2027, month: 2, day: 28 });
    expect(addMonthsClamped({ year: 2026, month: 5, day: 15 }, 3)).toEqual({ year: 2026, month: 8, day: 15 });
    expect(nextWorkingDay({ year: 2026, month: 11, day: 28 })).toEqual({ year: 2026, month: 11, day: 30 }); // Sat -> Mon
    expect(nextWorkingDay({ year: 2026, month: 11, day: 27 })).toEqual({ year: 2026, month: 11, day: 27 }); // Fri stays
  });

  it('counts days left in calendar days of the time zone, negative once overdue', () => {
    const due = dueAt(new Date('2026-09-03T09:00:00Z'), 1, berlin); // end of 5 October in Berlin
    expect(daysLeft(due, new Date('2026-10-01T12:00:00Z'), 'Europe/Berlin')).toBe(4);
    expect(daysLeft(due, new Date('2026-10-05T21:00:00Z'), 'Europe/Berlin')).toBe(0);
    expect(isOverdue(due, new Date('2026-10-05T21:00:00Z'))).toBe(false);
    expect(isOverdue(due, new Date('2026-10-05T22:00:00Z'))).toBe(true); // midnight in Berlin
    expect(daysLeft(due, new Date('2026-10-07T08:00:00Z'), 'Europe/Berlin')).toBe(-2);
  });

  it('knows a time zone name from a typo', () => {
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('Europe/Berlinn')).toBe(false);
  });
});

function parse(date: string) {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return { year, month, day };
}
