import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/errors';

// The data folder holds the encrypted store and the documents the app keeps. It is checked before
// anything touches it, so a folder that is a file, unwritable or open to other users gets a named
// error at once, and nothing inside it is reached through a link: a link planted inside
// (documents -> elsewhere) would send personal data out of the folder the DPO chose and protects.

/** What the app itself keeps in the folder: none of these may be a link. */
const OWN_ENTRIES = ['dsr-desk.db', 'dsr-desk.db-wal', 'dsr-desk.db-shm', 'documents', 'exports', 'sandbox', 'audit-anchor.lock', 'recovery-envelope.age'];

function invalid(dir: string, why: string, what: string): AppError {
  return new AppError('DATA_DIR_INVALID', `The data folder ${dir} ${why}. Nothing was changed. ${what}`);
}

function unsafe(message: string): AppError {
  return new AppError('DATA_DIR_UNSAFE', `${message} Nothing was changed.`);
}

function lstatOrNull(file: string): fs.Stats | null {
  try {
    return fs.lstatSync(file);
  } catch (error) {
    // ENOTDIR: a part of the path is a file, so nothing is there.
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw error;
  }
}

function writable(dir: string): boolean {
  try {
    fs.accessSync(dir, fs.constants.W_OK | fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The folders of `dir` that don't exist yet, checked: their nearest existing ancestor must be a folder this user can write. */
function missingFolders(dir: string): string[] {
  const missing: string[] = [];
  let at = dir;
  while (lstatOrNull(at) === null) {
    missing.unshift(at);
    const parent = path.dirname(at);
    if (parent === at) break;
    at = parent;
  }
  const existing = fs.statSync(at, { throwIfNoEntry: false });
  if (!existing?.isDirectory()) throw invalid(dir, `is under ${at}, which is a file, not a folder`, 'Choose a folder path with --data-dir.');
  if (!writable(at)) throw invalid(dir, `can't be created: ${at} is not writable for this user`, 'Choose a folder you can write to with --data-dir.');
  return missing;
}

/**
 * Checks the data folder without changing anything; returns its resolved path. Refuses, each with
 * its reason: a file, a path under a file, a folder this user can't write (or can't create), a
 * folder other users may write into (they could replace the store or plant a link), and a link
 * among the app's own entries. A folder that doesn't exist yet is fine if it can be made.
 */
export function checkDataFolder(dataDir: string): string {
  const dir = path.resolve(dataDir);
  const stat = lstatOrNull(dir) && fs.statSync(dir);
  if (!stat) {
    missingFolders(dir);
    return dir;
  }
  if (!stat.isDirectory()) throw invalid(dir, 'is a file, not a folder', 'Point --data-dir at a folder (it is created if missing).');
  if (!writable(dir)) throw invalid(dir, 'is not writable for this user', 'Choose a folder you can write to, or fix its permissions (chmod u+rwx).');
  if (process.platform !== 'win32' && (stat.mode & 0o002) !== 0) {
    throw unsafe(
      `The data folder ${dir} can be written by every user of this machine (mode ${(stat.mode & 0o7777).toString(8)}): anyone could replace the store or plant a link in it. Run \`chmod 700 ${dir}\` (or choose another folder).`,
    );
  }
  for (const entry of OWN_ENTRIES) refuseLink(dir, path.join(dir, entry));
  return dir;
}

/**
 * Checks the data folder and creates what is missing, one level at a time. Not
 * `mkdirSync(..., { recursive: true })`: under /proc it answers ENOENT forever and Node retries
 * without end (100% CPU, never returns).
 */
export function ensureDataFolder(dataDir: string): string {
  const dir = checkDataFolder(dataDir);
  for (const folder of missingFolders(dir)) {
    try {
      fs.mkdirSync(folder, { mode: 0o700 });
    } catch (error) {
      throw invalid(dir, `can't be created (${(error as NodeJS.ErrnoException).code ?? 'error'} at ${folder})`, 'Choose a folder you can write to with --data-dir.');
    }
  }
  return dir;
}

function refuseLink(dataDir: string, file: string): void {
  if (lstatOrNull(file)?.isSymbolicLink()) {
    throw unsafe(`${file} is a link; DSR Desk never follows a link out of its data folder ${dataDir}. Remove the link (and move what it pointed at into the folder if it belongs there).`);
  }
}

/**
 * A path inside the data folder, checked: no part of it below the folder is a link. Every file the
 * app writes into its own folder goes through here at the moment of writing.
 */
export function pathInDataFolder(dataDir: string, ...parts: string[]): string {
  const root = path.resolve(dataDir);
  const target = path.resolve(root, ...parts);
  if (target !== root && !target.startsWith(root + path.sep)) throw unsafe(`${target} is outside the data folder ${root}.`);
  let at = root;
  for (const part of path.relative(root, target).split(path.sep).filter(Boolean)) {
    at = path.join(at, part);
    refuseLink(root, at);
  }
  return target;
}
