import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../../shared/errors';
import { pathInDataFolder } from '../data-folder';

// A document the app wrote, read back for the window to offer as a download (browser mode) or a
// Save As (Electron): only files under the data folder's documents/ and exports/, never through a
// link, never anything else the user can read.

/** Larger than any document the app writes (an evidence PDF of 500 records is about 1 MiB). */
const MAX_BYTES = 64 * 1024 * 1024;
const MEDIA_TYPES: Record<string, string> = { '.pdf': 'application/pdf', '.json': 'application/json', '.csv': 'text/csv', '.txt': 'text/plain' };

export function readDocument(dataDir: string, file: string): { name: string; media_type: string; base64: string } {
  const root = path.resolve(dataDir);
  const target = path.resolve(root, file);
  const relative = path.relative(root, target);
  const [folder] = relative.split(path.sep);
  if (relative.startsWith('..') || path.isAbsolute(relative) || (folder !== 'documents' && folder !== 'exports')) {
    throw new AppError('FORBIDDEN', "Only documents the app wrote (in the data folder's documents/ or exports/) can be opened from the window.");
  }
  const checked = pathInDataFolder(root, relative); // refuses a link anywhere on the way
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(checked);
  } catch {
    throw new AppError('NOT_FOUND', `There is no document ${path.basename(checked)} any more: write it again.`);
  }
  if (!stat.isFile()) throw new AppError('FORBIDDEN', `${path.basename(checked)} is not a document file.`);
  if (stat.size > MAX_BYTES) throw new AppError('INVALID_INPUT', `${path.basename(checked)} is larger than a document the app writes; open it from the data folder.`);
  return { name: path.basename(checked), media_type: MEDIA_TYPES[path.extname(checked).toLowerCase()] ?? 'application/octet-stream', base64: fs.readFileSync(checked).toString('base64') };
}
