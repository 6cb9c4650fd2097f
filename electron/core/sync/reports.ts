import type { SyncResult } from '../../../shared/mirror';
import { eventFields, kindHasSource } from '../../../shared/events';
import type { Db } from '../store/database';
import { kindOfEvent } from '../store/event-kinds';
import { absenteeRows, participantRows, pollRows, qaRows, surveyRows, type ReportRow, type ReportSource } from '../store/report-sources';
import type { ZoomClient } from '../zoom/client';
import { ZoomApiError } from '../zoom/errors';
import { REPORTS_SETTLE_MS } from './plan';
import type { AsyncWriter } from './writer-thread';

// The reports step of a sync (run.ts): each past session's reports (participants, absentees, Q&A,
// polls, surveys) read into their tables until they are final, and the panelists, which are read
// the same way. A report Zoom no longer has is a warning, not a failure: the mirror keeps what it
// last read.

export interface ReportContext {
  db: Db;
  client: ZoomClient;
  writer: AsyncWriter;
  runId: number;
  /** A full pass reads every session's reports again, final or not. */
  fullPass: boolean;
  stamp: () => string;
  /** Throws when the run is to stop (a cancel, another worker's fatal error). */
  checkStop: () => void;
  /** Rows stored: counted in the run's progress. */
  stored: (rows: number) => void;
  warn: (warning: SyncResult['warnings'][number]) => void;
}

/** Answers that mean "this report isn't available (any more)", not "the sync failed". */
function isReportUnavailable(error: unknown): error is ZoomApiError {
  return (
    error instanceof ZoomApiError &&
    // 3001 is ZOOM_WEBINAR_NOT_FOUND already; 12702 is a report older than Zoom keeps, 1010 another account's webinar.
    (error.code === 'ZOOM_WEBINAR_NOT_FOUND' || error.code === 'ZOOM_NO_PERMISSION' || error.zoomCode === 12702 || error.zoomCode === 1010)
  );
}

/** The reports of each past session, until they are final (REPORTS_SETTLE_MS) or in a full pass. */
export async function syncReports(context: ReportContext, webinarId: string): Promise<void> {
  const { db, client, writer } = context;
  const kind = kindOfEvent(db, webinarId);
  let instances: { uuid: string; start_time: string }[];
  try {
    instances = await client.listPastInstances(kind, webinarId);
  } catch (error) {
    if (!isReportUnavailable(error)) throw error;
    context.warn({ ...eventFields(kind, webinarId), source: 'instances', code: error.code, message: error.message });
    return;
  }
  await writer.saveInstances(webinarId, instances);
  // A session's reports are final once read a day after it started (Zoom prepares them after the
  // session ends); incremental runs read each session until then, and then no more.
  const final = new Set(
    (
      db.prepare('SELECT uuid, start_time, reports_synced_at FROM event_instances WHERE event_id = ? AND reports_synced_at IS NOT NULL').all(webinarId) as {
        uuid: string;
        start_time: string | null;
        reports_synced_at: string;
      }[]
    )
      .filter((i) => i.start_time !== null && Date.parse(i.reports_synced_at) - Date.parse(i.start_time) >= REPORTS_SETTLE_MS)
      .map((i) => i.uuid),
  );
  for (const instance of instances) {
    if (!context.fullPass && final.has(instance.uuid)) continue;
    const ref = instance.uuid;
    await syncRecords(context, 'participant', webinarId, ref, (write) => pagesOf(context, client.listReportParticipants(kind, ref), participantRows, write));
    if (kindHasSource(kind, 'absentees')) await syncRecords(context, 'absentee', webinarId, ref, (write) => pagesOf(context, client.listAbsentees(ref), absenteeRows, write));
    await syncRecords(context, 'qa', webinarId, ref, async (write) => write((await client.reportQa(kind, ref)).flatMap(qaRows)));
    await syncRecords(context, 'poll', webinarId, ref, async (write) => write((await client.reportPolls(kind, ref)).flatMap(pollRows)));
    await syncRecords(context, 'survey', webinarId, ref, async (write) => write((await client.reportSurvey(kind, ref)).flatMap(surveyRows)));
    await writer.markInstanceReportsSynced(webinarId, ref, context.stamp());
  }
}

async function pagesOf<T>(context: ReportContext, pages: AsyncGenerator<{ items: T[] }>, toRows: (item: T) => ReportRow[], write: (rows: ReportRow[]) => Promise<void>): Promise<void> {
  for await (const page of pages) {
    context.checkStop();
    await write(page.items.flatMap(toRows));
  }
}

/** Reads one report into its table; when Zoom no longer has it, the mirror keeps what it last read. */
export async function syncRecords(
  context: ReportContext,
  source: ReportSource,
  webinarId: string,
  instanceUuid: string,
  read: (write: (rows: ReportRow[]) => Promise<void>) => Promise<void>,
): Promise<void> {
  let count = 0;
  try {
    await read(async (rows) => {
      const first = count;
      count += rows.length;
      await context.writer.writeReportRows(source, webinarId, instanceUuid, first, rows, context.runId);
      context.stored(rows.length);
    });
  } catch (error) {
    if (!isReportUnavailable(error)) throw error;
    context.warn({ ...eventFields(kindOfEvent(context.db, webinarId), webinarId), source, code: error.code, message: error.message });
    return;
  }
  await context.writer.finishReport(source, webinarId, instanceUuid, count);
}
