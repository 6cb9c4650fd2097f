import type { Command } from 'commander';
import type { OperationOutput } from '../../../shared/contract';
import { EXIT_FAILED, EXIT_OK } from '../output';
import type { CliContext, GlobalOptions } from './context';

// The dsr-desk commands for the audit log: each command's flags, its call and its output together.

export function registerAuditCommands(program: Command, { withCore }: CliContext): void {
  const audit = program.command('audit').description('the tamper-evident audit log');
  audit
    .command('verify')
    .description('walk the hash chain, hold it against its anchor in the keychain, and report the first entry that does not hold')
    .action(
      withCore(async (core, out) => {
        const result = await core.dispatch('verifyAudit', {});
        if (!result.ok) return out.failure(result.error);
        const r = result.value as OperationOutput<'verifyAudit'>;
        out.result(r, () => [
          r.ok
            ? `Audit log intact: ${r.entries} entries, head ${r.head}.`
            : r.first_bad !== null
              ? `Audit log BROKEN at entry ${r.first_bad} (of ${r.entries} read).`
              : `Audit log NOT CONFIRMED (${r.entries} entries).`,
          r.message,
        ]);
        // A broken or unconfirmed chain is a failed check: scripts and schedulers see it by the exit code too.
        return r.ok ? EXIT_OK : EXIT_FAILED;
      }),
    );
  audit
    .command('export')
    .description('write every entry with its hash, one JSON object a line, to recompute the chain with any SHA-256 tool (docs/architecture.md: the audit chain)')
    .requiredOption('--out <file>', 'where to write it (.jsonl)')
    .option('--force', 'replace the file if it exists')
    .action(
      withCore(async (core, out, options) => {
        const f = options as GlobalOptions & { out: string; force?: boolean };
        const written = await core.exportAudit(f.out, Boolean(f.force));
        out.result(written, () => [`Wrote ${written.entries} audit entries to ${written.path}; head ${written.head}.`]);
        return EXIT_OK;
      }),
    );
}
