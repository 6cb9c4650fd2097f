import { AppError } from '../../shared/errors';

// Named errors of the core. Each message names what is wrong and what to do, and never carries
// a secret, a key or personal data.

export class KeychainUnavailable extends AppError {
  constructor(detail: string) {
    super(
      'KEYCHAIN_UNAVAILABLE',
      `No OS keychain is reachable (${detail}). DSR Desk keeps its database key and Zoom credentials only in the ` +
        'OS keychain and never falls back to plaintext. On Linux, run inside a desktop session with a Secret Service ' +
        "(GNOME Keyring or KWallet), or headless: dbus-run-session -- sh -c 'echo -n PASSWORD | gnome-keyring-daemon --unlock; <command>'. " +
        'On macOS the login Keychain and on Windows the Credential Manager are used.',
    );
  }
}

export class DatabaseKeyMissing extends AppError {
  constructor(path: string) {
    super(
      'DATABASE_KEY_MISSING',
      `The database ${path} exists but this keychain holds no key for it. Nothing was changed. ` +
        'The recovery key (the AGE-SECRET-KEY-1… line on the recovery sheet) puts the key back into this keychain; ' +
        'otherwise use the keychain (and user account) it was created with, or restore a backup into a new folder.',
      { action: 'unlock' },
    );
  }
}

export class DatabaseWrongKey extends AppError {
  constructor(path: string) {
    super(
      'DATABASE_WRONG_KEY',
      `The database ${path} cannot be decrypted with the key in the keychain (wrong key, or its first page is damaged). ` +
        'Nothing was changed. Restore the matching keychain entry or a backup of the database.',
    );
  }
}

export class DatabaseNotEncrypted extends AppError {
  constructor(path: string) {
    super(
      'DATABASE_NOT_ENCRYPTED',
      `The file ${path} is an unencrypted SQLite database; DSR Desk only opens its own encrypted databases. ` + 'Nothing was changed. Move the file away or point --data-dir at another folder.',
    );
  }
}

export class DatabaseCorrupt extends AppError {
  constructor(path: string, detail: string) {
    super('DATABASE_CORRUPT', `The database ${path} is damaged (${detail}). Nothing was changed or repaired. Restore it from a backup; ` + 'keep the damaged file for investigation.');
  }
}

export class DatabaseFromFuture extends AppError {
  constructor(path: string, found: number, supported: number) {
    super(
      'DATABASE_FROM_FUTURE',
      `The database ${path} has schema version ${found}, newer than this DSR Desk understands (${supported}). ` + 'Nothing was changed. Install the newer DSR Desk that wrote it.',
    );
  }
}

export class SuppressionKeyMissing extends AppError {
  constructor() {
    super(
      'SUPPRESSION_KEY_MISSING',
      'The keychain holds no suppression key for this data directory, yet its register and suppression list were hashed with one. ' +
        'Nothing was changed, and no new key was made: with a new key, erased subjects would come back on the next sync. ' +
        'Restore the keychain entry "suppression-key@<data directory>" (service "DSR Desk") from a backup of the keychain.',
    );
  }
}
