import { Command, CommanderError } from 'commander';
import { AppError, errorShapeOf } from '../../shared/errors';
import { redact, setLogLevel } from '../core/log';
import { openCore, type Core, type CoreOptions } from '../core/service';
import { registerAuditCommands } from './commands/audit';
import { registerBackupCommands } from './commands/backup';
import { registerDocumentCommands } from './commands/documents';
import { dataDirOf, type CliContext, type CommandBody, type GlobalOptions } from './commands/context';
import { registerJobsCommands } from './commands/jobs';
import { registerLocalCommands } from './commands/local';
import { registerMirrorCommands } from './commands/mirror';
import { registerRequestsCommands } from './commands/requests';
import { registerStoreCommands } from './commands/store';
import { registerZoomCommands } from './commands/zoom';
import { createOutput, EXIT_OK, EXIT_USAGE } from './output';

// The dsr-desk command: the global options and the error handling; each command group lives in
// commands/, one module per group.

function buildProgram(setExit: (code: number) => void, json: boolean): Command {
  const program = new Command('dsr-desk')
    .description('DSR Desk: GDPR data-subject requests for Zoom webinars, run from your own machine.')
    .option('--json', 'print exactly one JSON document on stdout (progress goes to stderr)')
    .option('--data-dir <dir>', 'where the encrypted database and exports live (env DSR_DESK_DATA_DIR)')
    .option('--verbose', 'log what happens (redacted) to stderr, and show stack traces')
    .exitOverride()
    .showSuggestionAfterError(true);
  // In JSON mode commander's own usage messages become the contract's error document instead.
  // Set before the subcommands are added: they copy these settings when created.
  if (json) program.configureOutput({ writeErr: () => undefined });

  const globals = (command: Command) => command.optsWithGlobals<GlobalOptions>();

  const withCore =
    (body: CommandBody, coreOptions: Partial<CoreOptions> = {}) =>
    async (...args: unknown[]) => {
      const command = args[args.length - 1] as Command;
      const options = globals(command);
      const out = createOutput(Boolean(options.json));
      let core: Core | undefined;
      try {
        core = await openCore({ dataDir: dataDirOf(options), ...coreOptions });
        setExit(await body(core, out, options, command.args));
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        setExit(out.failure(errorShapeOf(error)));
      } finally {
        await core?.close();
      }
    };
  const context: CliContext = { withCore, globals, setExit };
  registerStoreCommands(program, context);
  registerZoomCommands(program, context);
  registerMirrorCommands(program, context);
  registerRequestsCommands(program, context);
  registerJobsCommands(program, context);
  registerDocumentCommands(program, context);
  registerAuditCommands(program, context);
  registerBackupCommands(program, context);
  registerLocalCommands(program, context);

  return program;
}

export async function main(argv: string[]): Promise<number> {
  let exitCode = EXIT_OK;
  const json = argv.includes('--json');
  const verbose = argv.includes('--verbose');
  if (verbose) setLogLevel('debug');
  const out = createOutput(json);
  const program = buildProgram((code) => (exitCode = code), json);
  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return EXIT_OK; // --help, --version
      if (json) out.failure({ code: 'USAGE', message: error.message.replace(/^error: /, '') });
      return EXIT_USAGE;
    }
    if (error instanceof AppError) return out.failure(errorShapeOf(error));
    process.stderr.write(
      verbose && error instanceof Error ? `${redact(error.stack ?? error.message)}\n` : 'dsr-desk: an unexpected error stopped the command. Run again with --verbose for details.\n',
    );
    return 1;
  }
}
