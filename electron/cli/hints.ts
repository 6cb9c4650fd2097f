import type { ErrorHint, ErrorShape } from '../../shared/errors';

// The core's hint, said as the command line does it: the command to run. The window says the same
// hint as what to click (renderer/src/i18n, errorHint).

export function commandFor(hint: ErrorHint): string {
  switch (hint.action) {
    case 'connect':
      return 'Run `dsr-desk connect` (or `dsr-desk connect --sandbox`) first.';
    case 'connect-and-sync':
      return 'Connect Zoom (`dsr-desk connect`), run `dsr-desk sync`, then run the job again.';
    case 'unlock':
      return 'With the recovery key, `dsr-desk unlock --identity-stdin` puts the key back; or restore a backup into a new folder (`dsr-desk restore`).';
    case 'set-operator':
      return 'Add --by NAME, or set the default once with `dsr-desk settings set --operator NAME`.';
    case 'list-requests':
      return 'List them with `dsr-desk request list`.';
    case 'complete-organisation':
      return `Set ${hint.missing.length === 1 ? 'it' : 'them'} with \`dsr-desk settings set ${hint.missing.map((key) => `--${key.replace(/_/g, '-')} …`).join(' ')}\`, or write a draft (--draft), which says DRAFT on every page.`;
    case 'create-recovery-key':
      return 'Make one first: `dsr-desk recovery-key create --sheet recovery-sheet.pdf` (print the sheet and lock it away).';
    case 'set-backup-folder':
      return 'Set one first: `dsr-desk settings set --backup-folder DIR`, or give a file with `dsr-desk backup --out FILE`.';
    case 'rectify':
      return `Record the correction first: \`dsr-desk request rectify ${hint.request_id} --by NAME --set field=value\`.`;
  }
}

/** The error as the CLI prints it: the core's message, then what to run; the hint itself stays for scripts. */
export function cliErrorOf(error: ErrorShape): ErrorShape {
  return error.hint ? { ...error, message: `${error.message} ${commandFor(error.hint)}` } : error;
}
