import { localDayOf } from '../../../shared/deadlines';
import { REQUEST_ARTICLES, REQUEST_TYPES, type RequestStatus, type RequestType } from '../../../shared/requests';
import type { Language, Settings } from '../../../shared/settings';
import type { Db } from '../store/database';
import { PdfWriter } from './pdf/typeset';
import { REPORT_TEXTS } from './register-report-texts';
import { wordsFor } from './words';

// The register report for a period (Art 30 record, management): every request received in it,
// counts by type and outcome, on time against late, extensions used, median days to close. IDs
// and dates only: no subject appears in it. Dates are the register's (its time zone).

export interface ReportRow {
  id: string;
  type: RequestType;
  article: string;
  channel: string;
  received_on: string;
  due_on: string;
  extended: boolean;
  closed_on: string | null;
  status: RequestStatus;
  outcome: 'completed' | 'refused' | 'open';
  on_time: 'yes' | 'no' | 'open' | 'overdue';
  days_to_close: number | null;
}

export interface RegisterReport {
  from: string;
  to: string;
  timeZone: string;
  rows: ReportRow[];
}

/** The requests received from `from` to `to` (both YYYY-MM-DD, inclusive, in the register's time zone). */
export function readRegisterReport(db: Db, from: string, to: string, timeZone: string, now: Date): RegisterReport {
  const dayOf = (iso: string) => localDayOf(new Date(iso), timeZone);
  // A day either side in UTC covers every time zone; the exact cut is made on the local date.
  const lower = new Date(Date.parse(`${from}T00:00:00Z`) - 86_400_000).toISOString();
  const upper = new Date(Date.parse(`${to}T00:00:00Z`) + 2 * 86_400_000).toISOString();
  const rows = db
    .prepare('SELECT id, type, channel, received_at, due_at, extended_at, closed_at, status FROM requests WHERE received_at >= ? AND received_at < ? ORDER BY received_at, id')
    .all(lower, upper) as { id: string; type: RequestType; channel: string; received_at: string; due_at: string; extended_at: string | null; closed_at: string | null; status: RequestStatus }[];
  return {
    from,
    to,
    timeZone,
    rows: rows
      .map((r) => ({ r, received: dayOf(r.received_at) }))
      .filter(({ received }) => received >= from && received <= to)
      .map(({ r, received }) => {
        const closed = r.status === 'completed' || r.status === 'refused';
        const closedAt = closed ? r.closed_at : null;
        return {
          id: r.id,
          type: r.type,
          article: REQUEST_ARTICLES[r.type],
          channel: r.channel,
          received_on: received,
          due_on: dayOf(r.due_at),
          extended: r.extended_at !== null,
          closed_on: closedAt ? dayOf(closedAt) : null,
          status: r.status,
          outcome: r.status === 'completed' ? 'completed' : r.status === 'refused' ? 'refused' : 'open',
          on_time: closedAt ? (closedAt <= r.due_at ? 'yes' : 'no') : now.toISOString() > r.due_at ? 'overdue' : 'open',
          days_to_close: closedAt ? Math.round((Date.parse(closedAt) - Date.parse(r.received_at)) / 86_400_000) : null,
        };
      }),
  };
}

export function summarise(report: RegisterReport) {
  const byType = REQUEST_TYPES.map((type) => {
    const rows = report.rows.filter((r) => r.type === type);
    return {
      type,
      total: rows.length,
      completed: rows.filter((r) => r.outcome === 'completed').length,
      refused: rows.filter((r) => r.outcome === 'refused').length,
      open: rows.filter((r) => r.outcome === 'open').length,
    };
  });
  const days = report.rows
    .map((r) => r.days_to_close)
    .filter((d): d is number => d !== null)
    .sort((a, b) => a - b);
  const median = days.length === 0 ? null : days.length % 2 === 1 ? days[(days.length - 1) / 2]! : (days[days.length / 2 - 1]! + days[days.length / 2]!) / 2;
  const count = (on: ReportRow['on_time']) => report.rows.filter((r) => r.on_time === on).length;
  return { byType, onTime: count('yes'), late: count('no'), overdue: count('overdue'), open: count('open'), extensions: report.rows.filter((r) => r.extended).length, median };
}

const CSV_COLUMNS: (keyof ReportRow)[] = ['id', 'type', 'article', 'channel', 'received_on', 'due_on', 'extended', 'closed_on', 'status', 'outcome', 'on_time', 'days_to_close'];

/** UTF-8 with a byte-order mark (so spreadsheets read it as UTF-8), CRLF line ends, ISO dates. */
export function reportCsv(report: RegisterReport): string {
  const cell = (value: unknown) => {
    const text = value === null || value === undefined ? '' : String(value);
    return /[",\r\n;]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const lines = [CSV_COLUMNS.join(','), ...report.rows.map((r) => CSV_COLUMNS.map((c) => cell(c === 'extended' ? (r.extended ? 'yes' : 'no') : r[c])).join(','))];
  return `\ufeff${lines.join('\r\n')}\r\n`;
}

export async function reportPdf(
  report: RegisterReport,
  settings: Settings,
  lang: Language,
  generatedAt: Date,
  draft: boolean,
  onProgress?: (done: number, total: number) => void,
): Promise<{ bytes: Buffer; pages: number }> {
  const s = summarise(report);
  const w = wordsFor(lang, report.timeZone, REPORT_TEXTS);
  const { t } = w;
  const organisation = settings.organisation_name ?? '';
  const period = { from: w.day(report.from), to: w.day(report.to) };
  const pdf = new PdfWriter({
    title: t('title', period),
    footer: t('footer', { organisation, ...period, date: w.date(generatedAt.toISOString()) }),
    generatedAt,
    lang,
    pageLabel: (page, pages) => t('page', { page, pages }),
    draft,
  });
  pdf.title(t('heading'));
  pdf.fields([
    [t('controller'), organisation || t('none')],
    [t('period'), t('periodValue', { ...period, zone: report.timeZone })],
    [t('requests'), String(report.rows.length)],
    [t('timeliness'), t('timelinessValue', { onTime: s.onTime, late: s.late, open: s.open, overdue: s.overdue })],
    [t('extensions', { law: w.law('12(3)') }), String(s.extensions)],
    [t('median'), s.median === null ? t('none') : String(s.median)],
  ]);
  pdf.heading(t('byType'));
  pdf.table(
    [
      { header: t('type'), width: 1.8 },
      { header: t('article'), width: 1.5 },
      { header: t('received'), width: 1.2, align: 'right' },
      { header: t('completed'), width: 1.4, align: 'right' },
      { header: t('refused'), width: 1.2, align: 'right' },
      { header: t('open'), width: 1, align: 'right' },
    ],
    s.byType.map((x) => [t(`requestType.${x.type}`), w.law(REQUEST_ARTICLES[x.type].replace('Art ', '')), String(x.total), String(x.completed), String(x.refused), String(x.open)]),
  );
  pdf.heading(t('every'));
  const columns = [
    { header: t('request'), width: 1.4 },
    { header: t('type'), width: 1.5 },
    { header: t('channel'), width: 0.8 },
    { header: t('receivedOn'), width: 1.1 },
    { header: t('due'), width: 1.1 },
    { header: t('extended'), width: 0.6 },
    { header: t('closedOn'), width: 1.1 },
    { header: t('status'), width: 1.7 },
    { header: t('onTime'), width: 1.1 },
    { header: t('days'), width: 0.6, align: 'right' as const },
  ];
  pdf.table(
    columns,
    report.rows.map((r) => [
      r.id,
      t(`requestType.${r.type}`),
      t(`channelName.${r.channel}`, { defaultValue: r.channel }),
      w.day(r.received_on),
      w.day(r.due_on),
      r.extended ? t('yes') : '',
      r.closed_on ? w.day(r.closed_on) : '',
      t(`statusName.${r.status}`),
      t(`onTimeValue.${r.on_time}`),
      r.days_to_close === null ? '' : String(r.days_to_close),
    ]),
    { size: 7.5, onProgress: (done) => onProgress?.(done, report.rows.length) },
  );
  return pdf.finish();
}
