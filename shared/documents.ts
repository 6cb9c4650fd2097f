import { z } from 'zod';
import { RequestId } from './requests';
import { LANGUAGES } from './settings';

// The documents: evidence, reply letter, processor request, access/portability package, register
// report. Without `out`, a file goes to the data folder's documents/ under a name that never
// replaces an earlier one; an existing `out` is replaced only with `force`.

const Out = z.string().trim().min(1, 'name the file to write').max(1000).optional();
const Force = z.boolean().default(false);
/** A day as YYYY-MM-DD; an ISO date-time is taken as its day in the register's time zone. */
const IsoDay = z.union([z.iso.date(), z.iso.datetime({ offset: true })], { error: 'give a date as YYYY-MM-DD (e.g. 2026-01-31)' });

export const DocumentInput = z.object({ id: RequestId, out: Out, force: Force }).strict();
export const LetterInput = DocumentInput.extend({ lang: z.enum(LANGUAGES).optional() }).strict();
export const ReportInput = z.object({ from: IsoDay, to: IsoDay, out: z.string().trim().min(1, 'name the .pdf or .csv file to write').max(1000), force: Force }).strict();

export const PdfWritten = z.object({ path: z.string(), sha256: z.string(), pages: z.number().int() });
export const LetterWritten = PdfWritten.extend({ kind: z.string(), lang: z.enum(LANGUAGES) });
export const PackageWritten = z.object({ dir: z.string(), files: z.array(z.object({ path: z.string(), sha256: z.string() })) });
export const ReportWritten = z.object({ path: z.string(), sha256: z.string(), requests: z.number().int(), format: z.enum(['pdf', 'csv']) });
