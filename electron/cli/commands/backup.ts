import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { OperationOutput } from '../../../shared/contract';
import { AppError } from '../../../shared/errors';
import { parseIdentity } from '../../core/backup/age';
import { verifyBackup } from '../../core/backup/backup';
import { DATABASE_FILE } from '../../core/store/database';
import { restoreFromBackup, unlockWithRecoveryKey } from '../../core/recovery';
import { createOutput, EXIT_OK } from '../output';
import { dataDirOf, readSecretFromStdin, runOperation, type CliContext, type GlobalOptions } from './context';

// The dsr-desk commands for backups, the recovery key, restore and unlock: each command's flags,
// its call and its output together.

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** The recovery identity from stdin; --identity-stdin says so out loud, as --client-secret-stdin does. */
async function identityFromStdin(flagGiven: boolean | undefined): Promise<string> {
  if (!flagGiven) throw new AppError('USAGE', 'The recovery key is read from standard input: add --identity-stdin and pipe it in, or type it when asked (never pass it as an argument).');
  return parseIdentity(await readSecretFromStdin('Recovery key (AGE-SECRET-KEY-1…, then Enter): ', true));
}

export function registerBackupCommands(program: Command, { withCore, globals, setExit }: CliContext): void {
  const recovery = program.command('recovery-key').description('the recovery key: it opens every backup, and this store when its keychain is lost');
  recovery
    .command('create')
    .description('make the recovery key; its secret half is shown once (and on the sheet): print it and lock it away')
    .option('--sheet <file.pdf>', 'also write the one-page recovery sheet to print')
    .option('--force', 'replace an existing recovery key (older backups still open only with the old one)')
    .action(
      withCore((core, out, options) => {
        const f = options as GlobalOptions & { sheet?: string; force?: boolean };
        return runOperation(core, out, 'createRecoveryKey', { sheet: f.sheet, force: Boolean(f.force) }, (r) => [
          'Recovery key made. Its secret half is shown this once:',
          '',
          `  ${r.identity}`,
          '',
          r.sheet
            ? `The recovery sheet is ${r.sheet}: print it, sign it, lock it away, then delete the file.`
            : 'Write it down or print it (`--sheet FILE.pdf` writes a sheet to print), and lock it away apart from this computer.',
          `Backups are encrypted to ${r.recipient}; so is the copy of this store's key beside the database (recovery-envelope.age).`,
        ]);
      }),
    );
  recovery
    .command('show')
    .description('the recovery key in use (its public half, never the secret)')
    .action(
      withCore((core, out) =>
        runOperation(core, out, 'getRecoveryKey', {}, (r) => [
          r.recipient ? `Recovery key ${r.recipient}, made ${r.created_at}.` : 'No recovery key yet: `dsr-desk recovery-key create --sheet recovery-sheet.pdf`.',
        ]),
      ),
    );

  const backup = program
    .command('backup')
    .description('write one encrypted backup file (age v1) of the store, its documents and a manifest')
    .option('--out <file>', 'where to write the backup (.age)')
    .option('--recipient <age1…>', 'also encrypt to this age recipient (repeatable), beside the recovery key and the ones in settings', collect)
    .option('--force', 'replace the file if it exists')
    .option('--auto', 'what the schedule does: a backup into the backup folder of the settings, the erasure ledger beside it, the oldest beyond the count deleted (for cron or a scheduled task)')
    .action(
      withCore((core, out, options) => {
        const f = options as GlobalOptions & { out?: string; recipient?: string[]; force?: boolean; auto?: boolean };
        const lines = (r: OperationOutput<'writeBackup'>) => [
          `Backup written: ${r.path} (${r.bytes.toLocaleString('en')} bytes, SHA-256 ${r.sha256}).`,
          `Taken at ${r.taken_at}: ${r.counts.requests} requests, ${r.counts.registrants} registrants, audit log of ${r.audit.entries} entries (head ${r.audit.head}).`,
        ];
        if (f.auto) {
          if (f.out || f.recipient || f.force) throw new AppError('USAGE', '--auto writes into the backup folder of the settings, to the recipients there: leave out --out, --recipient and --force.');
          return runOperation(core, out, 'runAutoBackup', {}, (r) => [
            ...lines(r),
            ...(r.deleted.length > 0
              ? [`Deleted ${r.deleted.length} older backup${r.deleted.length === 1 ? '' : 's'} beyond the count to keep: ${r.deleted.map((d) => path.basename(d)).join(', ')}.`]
              : []),
          ]);
        }
        if (!f.out) throw new AppError('USAGE', 'Name the backup file with --out FILE.age (or use `backup --auto` for the backup folder in settings).');
        return runOperation(core, out, 'writeBackup', { out: f.out, recipients: f.recipient ?? [], force: Boolean(f.force) }, lines);
      }),
    );
  backup
    .command('verify <file>')
    .description('decrypt a backup in memory and check every part and the audit chain in it; writes nothing')
    .option('--identity-stdin', "read the recovery key (or another recipient's age identity) from standard input")
    .action(async (file: string, ...args: unknown[]) => {
      const command = args[args.length - 1] as Command;
      const options = globals(command) as GlobalOptions & { identityStdin?: boolean };
      const identity = await identityFromStdin(options.identityStdin);
      const lines = (r: OperationOutput<'verifyBackup'>) => [
        `Backup intact: ${r.manifest.parts.length} parts match their manifest, and its audit log of ${r.manifest.audit.entries} entries recomputes to ${r.manifest.audit.head}.`,
        `Taken at ${r.manifest.taken_at} by DSR Desk ${r.manifest.app_version} (schema ${r.manifest.schema_version}): ${r.manifest.counts.requests} requests, ${r.manifest.counts.registrants} registrants.`,
      ];
      // With a store here, through it (it notes its last backup checked); without, nothing is opened or made.
      if (fs.existsSync(path.join(dataDirOf(options), DATABASE_FILE))) {
        await withCore((core, out) => runOperation(core, out, 'verifyBackup', { file, identity }, lines))(command);
        return;
      }
      const out = createOutput(Boolean(options.json));
      const verified = await verifyBackup(file, identity);
      out.result(verified, () => lines(verified));
      setExit(EXIT_OK);
    });

  program
    .command('restore')
    .description('build a new store from a backup in --data-dir (a folder without a store), under a new key in this keychain')
    .requiredOption('--from <file>', 'the backup file')
    .option('--identity-stdin', 'read the recovery key from standard input')
    .option('--ledger <file>', 'an erasure ledger to apply besides the one found beside the backup (repeatable)', collect)
    .option('--force', 'move a store already in --data-dir aside (it is kept, never deleted)')
    .action(async (...args: unknown[]) => {
      const command = args[args.length - 1] as Command;
      const options = globals(command) as GlobalOptions & { from: string; identityStdin?: boolean; force?: boolean; ledger?: string[] };
      const out = createOutput(Boolean(options.json));
      const identity = await identityFromStdin(options.identityStdin);
      const restored = await restoreFromBackup({ dataDir: dataDirOf(options), identity, file: options.from, force: Boolean(options.force), ledgers: options.ledger ?? [] });
      out.result(restored, () => [
        `Restored into ${dataDirOf(options)}: ${restored.requests} requests from the backup taken at ${restored.taken_at}.`,
        `Audit log: ${restored.audit.entries} entries, ${restored.audit.ok ? 'intact' : 'NOT intact'}; the restore is an entry of its own.`,
        ...(restored.reerased > 0
          ? [
              `The erasure ledger named ${restored.reerased} subject${restored.reerased === 1 ? '' : 's'} erased after the backup was taken: anonymized again, and their requests flagged to read Zoom back at the next job run.`,
            ]
          : []),
        ...(restored.moved_aside ? [`The store that was there is kept in ${restored.moved_aside}.`] : []),
        'Zoom credentials are never in a backup: connect again (`dsr-desk connect …`) before the next sync or job.',
      ]);
      setExit(EXIT_OK);
    });

  program
    .command('unlock')
    .description('open a store whose key this keychain lacks, with the recovery key, and put its key into this keychain')
    .option('--identity-stdin', 'read the recovery key from standard input')
    .action(async (...args: unknown[]) => {
      const command = args[args.length - 1] as Command;
      const options = globals(command) as GlobalOptions & { identityStdin?: boolean };
      const out = createOutput(Boolean(options.json));
      const identity = await identityFromStdin(options.identityStdin);
      const unlocked = await unlockWithRecoveryKey({ dataDir: dataDirOf(options), identity });
      out.result(unlocked, () => [`Unlocked ${dataDirOf(options)}: its key is in this keychain now, and the audit log records the unlock.`]);
      setExit(EXIT_OK);
    });
}
