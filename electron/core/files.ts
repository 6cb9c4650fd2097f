import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/errors';

// Every file the app writes for a person (documents, packages, the audit export) is written to a
// temp file beside its target and renamed into place, so a failure at any point leaves either the
// old state or the whole new file, never half of one. An existing file is replaced only on request.

export interface Written {
  path: string;
  sha256: string;
}

/** Refuses an existing target unless `force`: the check every writer makes before any work. */
export function checkTarget(file: string, force: boolean): string {
  const target = path.resolve(file);
  if (!force && fs.existsSync(target)) throw new AppError('OUTPUT_EXISTS', `${target} exists; nothing was written. Choose another --out, or add --force to replace it.`);
  if (fs.existsSync(target) && fs.statSync(target).isDirectory()) throw new AppError('OUTPUT_UNWRITABLE', `${target} is a folder; name a file to write.`);
  return target;
}

/** Writes through `write(fd)` into a temp file beside `target`, then renames it over the target. */
export function writeAtomically(file: string, force: boolean, write: (fd: number) => void): Written {
  const target = checkTarget(file, force);
  const partial = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.partial`);
  try {
    const fd = fs.openSync(partial, 'w', 0o600);
    try {
      write(fd);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(partial, target);
  } catch (error) {
    fs.rmSync(partial, { force: true });
    if (error instanceof AppError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? 'an error';
    throw new AppError('OUTPUT_UNWRITABLE', `Could not write ${target} (${code}); nothing was written. Choose a folder you can write to.`);
  }
  return { path: target, sha256: sha256File(target) };
}

export function writeBytes(file: string, bytes: Buffer | string, force: boolean): Written {
  return writeAtomically(file, force, (fd) => fs.writeSync(fd, typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes));
}

export function sha256File(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** A time as it goes into a file name, to the millisecond (two backups or documents in one second must not collide): 20261204T184022.123Z. */
export function fileStamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '');
}
