import { z } from 'zod';
import { Operator, RequestId } from './requests';
import { LANGUAGES } from './settings';

// The documents: evidence, reply letter, processor request, access/portability package, register
// report. Without `out`, a file goes to the data folder's documents/ under a name that never
// replaces an earlier one; an existing `out` is replaced only with `force`.

const Out = z.string().trim().min(1, 'name the file to write').max(1000).optional();
const Force = z.boolean().default(false);
/** Written while the organisation's settings are incomplete (ORGANISATION_INCOMPLETE otherwise): every page says DRAFT. */
const Draft = z.boolean().default(false);
/** A day as YYYY-MM-DD; an ISO date-time is taken as its day in the register's time zone. */
const IsoDay = z.union([z.iso.date(), z.iso.datetime({ offset: true })], { error: 'give a date as YYYY-MM-DD (e.g. 2026-01-31)' });

/** Writing a document is an act: it names who wrote it (the timeline and the audit log record it). */
/** The document's language: default the subject's (letters, packages), the register's (evidence, report), English for Zoom (processor request). */
const Lang = z.enum(LANGUAGES).optional();
export const DocumentInput = z.object({ id: RequestId, out: Out, force: Force, by: Operator, draft: Draft, lang: Lang }).strict();
export const LetterInput = DocumentInput;
/** Without `out` (the window), the report goes to the data folder's documents/reports/ in `format`. */
export const ReportInput = z
  .object({
    from: IsoDay,
    to: IsoDay,
    out: z.string().trim().min(1, 'name the .pdf or .csv file to write').max(1000).optional(),
    format: z.enum(['pdf', 'csv']).optional(),
    force: Force,
    by: Operator,
    draft: Draft,
    lang: Lang,
  })
  .strict()
  .refine((input) => (input.out === undefined) !== (input.format === undefined), { message: 'name the file to write (out), or, without one, the format (pdf or csv)', path: ['out'] });

export const PdfWritten = z.object({ path: z.string(), sha256: z.string(), pages: z.number().int(), draft: z.boolean() });
export const LetterWritten = PdfWritten.extend({ kind: z.string(), lang: z.enum(LANGUAGES) });
export const PackageWritten = z.object({ dir: z.string(), files: z.array(z.object({ path: z.string(), sha256: z.string() })), draft: z.boolean() });
export const ReportWritten = z.object({ path: z.string(), sha256: z.string(), requests: z.number().int(), format: z.enum(['pdf', 'csv']), draft: z.boolean() });
