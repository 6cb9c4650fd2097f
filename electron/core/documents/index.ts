import fs from 'node:fs';
import path from 'node:path';
import { localDayOf } from '../../../shared/deadlines';
import { AppError } from '../../../shared/errors';
import { organisationMissing, type Language, type Settings } from '../../../shared/settings';
import type { AuditLog } from '../audit';
import { pathInDataFolder } from '../data-folder';
import { checkTarget, fileStamp, writeBytes, type Written } from '../files';
import { createLogger } from '../log';
import { appVersion } from '../paths';
import type { RequestRegister } from '../requests/register';
import type { Db } from '../store/database';
import { lastCompletedAccountRun } from '../sync/runs';
import { accessPdf } from './access';
import { eventNames } from './words';
import { evidencePdf } from './evidence';
import { processorRequestPdf } from './processor-request/document';
import { readRegisterReport, reportCsv, reportPdf } from './register-report';
import { replyLetterPdf } from './reply-letter';
import { readRequestRecord, type RequestRecord } from './request-record';
import { collectSubjectData, SCHEMA_FILE, schemaPath, SUBJECT_DATA_FILE, validateSubjectData } from './subject-data';

// The documents a DPO hands to an auditor, to the data subject and to Zoom, one module each; this
// one reads what they need, writes them (temp file, then rename) and records each file's SHA-256
// in the audit log. Without an --out they go to the data folder's documents/, named by request
// and time, so the window's buttons never overwrite an earlier copy.

const log = createLogger('documents');

export type Progress = (phase: string, done: number, total: number) => void;

export interface DocumentDeps {
  db: Db;
  audit: AuditLog;
  register: RequestRegister;
  settings: () => Settings;
  timeZone: () => string;
  now: () => Date;
  dataDir: string;
}

export interface PdfWritten extends Written {
  pages: number;
  draft: boolean;
}

/** How a document is written: who writes it, where (default: the data folder's documents/), and whether as a draft. */
export interface Writing {
  by: string;
  out?: string;
  force: boolean;
  /** Allowed while the organisation's settings are incomplete: every page then says DRAFT. */
  draft: boolean;
  /** The document's language; each document has its own default (the subject's, the register's, English for Zoom). */
  lang?: Language;
}

/** Whether the document is a draft; refused when it would have to be one and wasn't asked as such. */
function draftOf(settings: Settings, asked: boolean): boolean {
  const missing = organisationMissing(settings);
  if (missing.length > 0 && !asked) {
    throw new AppError('ORGANISATION_INCOMPLETE', `A document can't be sent without the organisation's ${missing.map((key) => key.replace(/_/g, ' ')).join(', ')}. Nothing was written.`, {
      action: 'complete-organisation',
      missing,
    });
  }
  return asked || missing.length > 0;
}

export class Documents {
  constructor(private readonly deps: DocumentDeps) {}

  async evidence(id: string, { by, out, force, draft: asked, lang }: Writing, onProgress?: Progress): Promise<PdfWritten> {
    const draft = draftOf(this.deps.settings(), asked);
    const target = checkTarget(out ?? this.defaultPath(id, 'evidence', 'pdf'), force);
    const record = await this.record(id);
    const { bytes, pages } = await evidencePdf({
      record,
      // Only the evidence shows the chain: walking the whole log is its cost alone.
      chain: await this.deps.audit.verify(),
      settings: this.deps.settings(),
      generatedAt: this.deps.now(),
      appVersion: appVersion(),
      draft,
      lang: lang ?? this.deps.settings().language,
      timeZone: this.deps.timeZone(),
      webinars: eventNames(this.deps.db),
      onProgress: (done, total) => onProgress?.('evidence', done, total),
    });
    return this.written(id, by, 'evidence', writeBytes(target, bytes, force), { pages, draft });
  }

  async letter(id: string, { by, out, force, draft: asked, lang }: Writing): Promise<PdfWritten & { kind: string; lang: Language }> {
    const draft = draftOf(this.deps.settings(), asked);
    const target = checkTarget(out ?? this.defaultPath(id, 'reply', 'pdf'), force);
    const record = await this.record(id);
    const language = lang ?? record.request.language ?? this.deps.settings().language;
    const { bytes, pages, kind } = await replyLetterPdf({
      record,
      settings: this.deps.settings(),
      lang: language,
      generatedAt: this.deps.now(),
      timeZone: this.deps.timeZone(),
      draft,
      webinars: eventNames(this.deps.db),
    });
    return { ...this.written(id, by, 'reply_letter', writeBytes(target, bytes, force), { pages, draft, kind, lang: language }), kind, lang: language };
  }

  async processorRequest(id: string, { by, out, force, draft: asked, lang = 'en' }: Writing): Promise<PdfWritten> {
    const draft = draftOf(this.deps.settings(), asked);
    const target = checkTarget(out ?? this.defaultPath(id, 'processor-request', 'pdf'), force);
    const record = await this.record(id);
    if (!record.processor) throw new AppError('NOT_FOUND', `Request ${id} has no processor request: its job left nothing with Zoom, or has not run yet.`);
    const { bytes, pages } = await processorRequestPdf({
      record,
      settings: this.deps.settings(),
      lang,
      generatedAt: this.deps.now(),
      timeZone: this.deps.timeZone(),
      draft,
      webinars: eventNames(this.deps.db),
    });
    return this.written(id, by, 'processor_request', writeBytes(target, bytes, force), { pages, draft, lang });
  }

  /** The access or portability package: subject-data.json (checked against the shipped schema), the schema, and the readable PDF. */
  async subjectPackage(id: string, { by, out: outDir, force, draft: asked, lang }: Writing, onProgress?: Progress): Promise<{ dir: string; files: Written[]; draft: boolean }> {
    const draft = draftOf(this.deps.settings(), asked);
    const request = await this.deps.register.get(id);
    if (request.type !== 'access' && request.type !== 'portability') {
      throw new AppError(
        'INVALID_STATE',
        `Request ${id} is ${request.type === 'erasure' ? 'an' : 'a'} ${request.type} request; only access and portability requests have a package (use \`dsr-desk evidence\` or \`dsr-desk letter\`).`,
      );
    }
    if (request.emails.length === 0)
      throw new AppError('INVALID_STATE', `Request ${id} no longer holds the subject's address (purged ${request.purged_at ?? request.address_purged_at}); no package can be made.`);
    const dir = outDir !== undefined ? path.resolve(outDir) : pathInDataFolder(this.deps.dataDir, 'documents', id, `package-${fileStamp(this.deps.now())}`);
    const pdfName = `${request.type === 'access' ? 'your-data' : 'your-data-portable'}-${id}.pdf`;
    const targets = [SUBJECT_DATA_FILE, SCHEMA_FILE, pdfName].map((name) => path.join(dir, name));
    if (fs.existsSync(dir) && !fs.statSync(dir).isDirectory()) throw new AppError('OUTPUT_UNWRITABLE', `${dir} is a file; name a folder for the package.`);
    for (const target of targets) checkTarget(target, force);

    const run = this.deps.db.prepare('SELECT planned_from_run, planned_from_at FROM job_runs WHERE request_id = ?').get(id) as
      { planned_from_run: number | null; planned_from_at: string | null } | undefined;
    const latest = lastCompletedAccountRun(this.deps.db);
    const basis = run?.planned_from_run != null ? { run_id: run.planned_from_run, at: run.planned_from_at } : { run_id: latest?.id ?? null, at: latest?.started_at ?? null };
    const settings = this.deps.settings();
    const now = this.deps.now();
    onProgress?.('collect', 0, 3);
    const data = collectSubjectData(this.deps.db, request, request.emails, basis, now, { name: settings.organisation_name, contact: settings.dpo_email ?? settings.organisation_contact });
    const problems = validateSubjectData(data);
    if (problems.length > 0) {
      log.error('subject data failed its schema', { request: id, problems });
      throw new AppError('INTERNAL', `The package of ${id} does not match subject-data.schema.json (${problems.slice(0, 3).join('; ')}); nothing was written.`);
    }
    onProgress?.('pdf', 1, 3);
    const { bytes } = await accessPdf({ data, settings, lang: lang ?? request.language ?? settings.language, generatedAt: now, timeZone: this.deps.timeZone(), appVersion: appVersion(), draft });
    onProgress?.('write', 2, 3);
    try {
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    } catch (error) {
      throw new AppError('OUTPUT_UNWRITABLE', `Could not create ${dir} (${(error as NodeJS.ErrnoException).code ?? 'an error'}); nothing was written. Choose a folder you can write to.`);
    }
    const files = [writeBytes(targets[0]!, `${JSON.stringify(data, null, 2)}\n`, force), writeBytes(targets[1]!, fs.readFileSync(schemaPath()), force), writeBytes(targets[2]!, bytes, force)];
    this.deps.register.recordAct(id, by, 'document_written', `package: ${files.map((f) => path.basename(f.path)).join(', ')}`, {
      action: 'document.package',
      details: { files: files.map((f) => ({ name: path.basename(f.path), sha256: f.sha256 })), records: data.counts, draft },
    });
    onProgress?.('write', 3, 3);
    return { dir, files, draft };
  }

  async report(
    from: string,
    to: string,
    { by, out: named, force, draft: asked, lang }: Writing,
    asFormat?: 'pdf' | 'csv',
    onProgress?: Progress,
  ): Promise<Written & { requests: number; format: 'pdf' | 'csv'; draft: boolean }> {
    const out = named ?? this.defaultPath('reports', `register-${from.slice(0, 10)}-${to.slice(0, 10)}`, asFormat ?? 'pdf');
    const format = out.toLowerCase().endsWith('.csv') ? 'csv' : out.toLowerCase().endsWith('.pdf') ? 'pdf' : null;
    if (!format) throw new AppError('INVALID_INPUT', `--out must name a .pdf or a .csv file (got ${path.basename(out)}).`);
    const timeZone = this.deps.timeZone();
    const day = (value: string) => {
      if (/^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value))) return value;
      if (!Number.isNaN(Date.parse(value))) return localDayOf(new Date(value), timeZone);
      throw new AppError('INVALID_INPUT', 'Give --from and --to as dates, YYYY-MM-DD (e.g. --from 2026-01-01 --to 2026-12-31).');
    };
    from = day(from);
    to = day(to);
    if (from > to) throw new AppError('INVALID_INPUT', `--from (${from}) is after --to (${to}); give the period's first day first.`);
    const draft = format === 'pdf' && draftOf(this.deps.settings(), asked);
    const target = checkTarget(out, force);
    const report = readRegisterReport(this.deps.db, from, to, timeZone, this.deps.now());
    const bytes =
      format === 'csv'
        ? Buffer.from(reportCsv(report), 'utf8')
        : (await reportPdf(report, this.deps.settings(), lang ?? this.deps.settings().language, this.deps.now(), draft, (done, total) => onProgress?.('report', done, total))).bytes;
    const written = writeBytes(target, bytes, force);
    this.deps.audit.append({ actor: by, action: 'document.report', details: { from, to, requests: report.rows.length, format, sha256: written.sha256, draft } });
    return { ...written, requests: report.rows.length, format, draft };
  }

  /**
   * Storage limitation for the app's own files: once a request has been closed for longer than
   * the grace period, the copies in the data folder that hold the subject's data go (the package
   * under exports/, and under documents/ the replies, processor requests and packages, which carry
   * the address). Evidence PDFs stay: they show only the masked address and the keyed hash.
   * Files written to an --out elsewhere are the DPO's to keep or delete.
   */
  purgeFiles(graceDays: number): number {
    const { db, dataDir } = this.deps;
    const cutoff = new Date(this.deps.now().getTime() - graceDays * 86_400_000).toISOString();
    const closed = new Set(db.prepare(`SELECT id FROM requests WHERE closed_at IS NOT NULL AND closed_at < ? AND status IN ('completed', 'refused')`).pluck().all(cutoff) as string[]);
    const held = (folder: string) => (fs.existsSync(path.join(dataDir, folder)) ? fs.readdirSync(path.join(dataDir, folder)).filter((id) => closed.has(id)) : []);
    let purged = 0;
    for (const id of new Set([...held('exports'), ...held('documents')])) {
      const documents = path.join(dataDir, 'documents', id);
      const files = [
        path.join(dataDir, 'exports', id),
        ...(fs.existsSync(documents)
          ? fs
              .readdirSync(documents)
              .filter((f) => /^(reply|processor-request|package)-/.test(f))
              .map((f) => path.join(documents, f))
          : []),
      ].filter((f) => fs.existsSync(f));
      if (files.length === 0) continue;
      for (const file of files) fs.rmSync(file, { recursive: true, force: true });
      this.deps.audit.append({ actor: 'retention', action: 'document.files_purged', requestId: id, details: { files: files.map((f) => path.relative(dataDir, f)), grace_days: graceDays } });
      purged++;
    }
    return purged;
  }

  private async record(id: string): Promise<RequestRecord> {
    return readRequestRecord(this.deps.db, await this.deps.register.get(id));
  }

  /** A document of a request is an act: its timeline names the file and who wrote it, the audit entry its SHA-256. */
  private written(id: string, by: string, kind: string, written: Written, details: { pages: number; draft: boolean } & Record<string, unknown>): PdfWritten {
    this.deps.register.recordAct(id, by, 'document_written', `${kind.replace('_', ' ')}: ${path.basename(written.path)}`, {
      action: `document.${kind}`,
      details: { sha256: written.sha256, ...details },
    });
    log.info('document written', { request: id, kind });
    return { ...written, pages: details.pages, draft: details.draft };
  }

  /** documents/<folder>/<kind>-<folder>-<time>.<ext>: a request's documents by its ID, reports under reports/. */
  private defaultPath(folder: string, kind: string, ext: string): string {
    const dir = pathInDataFolder(this.deps.dataDir, 'documents', folder);
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    return path.join(dir, folder === 'reports' ? `${kind}-${fileStamp(this.deps.now())}.${ext}` : `${kind}-${folder}-${fileStamp(this.deps.now())}.${ext}`);
  }
}
