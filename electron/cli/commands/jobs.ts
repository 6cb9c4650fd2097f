import { Option, type Command } from 'commander';
import { describeResidual, PROCESSOR_OUTCOMES } from '../../../shared/jobs';
import { progressPrinter } from '../progress';
import { runOperation, BY_HELP, BY_OPTION, byOf, type CliContext, type GlobalOptions } from './context';

// The dsr-desk commands for a request's job: each command's flags, its call and its output together.

export function registerJobsCommands(program: Command, { withCore }: CliContext): void {
  const job = program.command('job').description("a request's job: erasure (anonymize, cancel, delete, verify), restriction, access");
  job
    .command('plan <id>')
    .description('show exactly what the job will do (or, once started, what its journal holds) before anything happens')
    .action(
      withCore((core, out, _options, args) =>
        runOperation(core, out, 'planJob', { id: args[0] }, (p) => [
          `Job of ${p.request_id}: ${p.steps.length} steps`,
          ...p.steps.map(
            (s) =>
              `  ${s.event_type} ${s.event_id}  ${s.source}${s.registrant_id ? ` ${s.registrant_id}` : ''}${s.occurrence_id ? ` (occurrence ${s.occurrence_id})` : ''}: ${s.actions.join(', ') || 'nothing on Zoom'}`,
          ),
          ...(p.residual.length > 0 ? ["Zoom's API can't erase these; a processor request to Zoom is prepared:", ...p.residual.map((r) => `  ${describeResidual(r)}`)] : []),
          ...p.notes,
        ]),
      ),
    );
  job
    .command('run <id>')
    .description('run (or resume) the job of an approved request; Ctrl+C stops after the current action')
    .option(BY_OPTION, BY_HELP)
    .action(
      withCore(
        async (core, out, options, args) => {
          const cancel = () => {
            process.stderr.write('\nStopping after the current action…\n');
            void core.service.cancelJob({});
          };
          process.once('SIGINT', cancel);
          try {
            return await runOperation(core, out, 'runJob', { id: args[0], ...byOf(options as { by?: string }) }, (r) => [
              r.already_completed
                ? `${r.request_id} was already completed; nothing was done again.`
                : `Job of ${r.request_id}: ${r.status}${r.resume_at ? `; Zoom's daily limit stopped it, run it again after ${r.resume_at}` : ''}.`,
              ...r.steps.map(
                (s) =>
                  `  ${s.event_type} ${s.event_id} ${s.source}${s.registrant_id ? ` ${s.registrant_id}` : ''}: ` +
                  s.actions.map((a) => `${a.action} ${a.result}${a.http_status ? ` (HTTP ${a.http_status}${a.zoom_code ? `, Zoom ${a.zoom_code}` : ''})` : ''}`).join(', ') +
                  (s.source === 'registrant' ? (s.verified ? '  VERIFIED' : s.handed_to_processor ? '  Zoom refused: named in the processor request' : '  not verified') : ''),
              ),
              ...(r.residual.length > 0 ? ['Left with Zoom (its API cannot erase them):', ...r.residual.map((x) => `  ${describeResidual(x)}`)] : []),
              ...(r.processor_task ? [`Processor request to Zoom (task ${r.processor_task.id}, ${r.processor_task.status}):`, ...r.processor_task.letter.split('\n').map((l) => `  | ${l}`)] : []),
              ...r.notes,
            ]);
          } finally {
            process.removeListener('SIGINT', cancel);
          }
        },
        // A job planned from a mirror older than its request syncs first: that progress shows too.
        { onJobProgress: (p) => process.stderr.write(`job ${p.request_id}: ${p.done} of ${p.total} actions done\n`), onSyncProgress: progressPrinter(process.stderr) },
      ),
    );

  job
    .command('processor-request <id>')
    .description("track the request to Zoom about what its API can't erase: sent, answered, closed")
    .requiredOption('--status <status>', 'sent, answered or closed')
    .option(BY_OPTION, BY_HELP)
    .option('--note <text>', "e.g. Zoom's reference or answer")
    .option('--at <iso>', 'when it was sent or answered (default: now)')
    .addOption(new Option('--outcome <outcome>', 'with --status answered: what Zoom answered').choices([...PROCESSOR_OUTCOMES]))
    .action(
      withCore((core, out, options, args) => {
        const f = options as GlobalOptions & { status: string; by?: string; note?: string; at?: string; outcome?: string };
        const input = { id: args[0], status: f.status, ...byOf(f), ...(f.note ? { note: f.note } : {}), ...(f.at ? { at: f.at } : {}), ...(f.outcome ? { outcome: f.outcome } : {}) };
        return runOperation(core, out, 'updateProcessorTask', input, (t) => [
          `Processor request ${t.id} of ${t.request_id} to ${t.processor}: ${t.status}${t.due_at && !t.answered_at ? `; Zoom's answer is due ${t.due_at}` : ''}${t.outcome ? `; Zoom answered ${t.outcome}` : ''}.`,
        ]);
      }),
    );
}
