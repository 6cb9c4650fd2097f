import { Option, type Command } from 'commander';
import { LANGUAGES } from '../../../shared/settings';
import { BY_HELP, BY_OPTION, byOf, runOperation, type CliContext, type GlobalOptions } from './context';

// The dsr-desk commands that write documents: each command's flags, its call and its output together.
// An existing --out is replaced only with --force; long documents report progress on stderr.

const progress = { onDocumentProgress: (phase: string, done: number, total: number) => process.stderr.write(`${phase}: ${done}/${total}\n`) };

type FileFlags = GlobalOptions & { out?: string; force?: boolean; lang?: string; by?: string; draft?: boolean };

/** Each document's language: by default the subject's (letter, package), the register's (evidence, report), English for Zoom (processor request). */
const LANG_OPTION = () =>
  new Option('--lang <lang>', "the document's language (default: the subject's for a letter or package, the settings' for evidence and report, English for Zoom)").choices([...LANGUAGES]);

const DRAFT_HELP = "write it while the organisation's settings are incomplete: every page then says DRAFT";

export function registerDocumentCommands(program: Command, { withCore }: CliContext): void {
  program
    .command('evidence <id>')
    .description("write the request's evidence PDF: what was asked, decided, done on Zoom and read back, and the audit chain's anchor")
    .requiredOption('--out <file>', 'the PDF to write')
    .option('--force', 'replace the file if it exists')
    .option(BY_OPTION, BY_HELP)
    .option('--draft', DRAFT_HELP)
    .addOption(LANG_OPTION())
    .action(
      withCore((core, out, options, args) => {
        const f = options as FileFlags;
        return runOperation(core, out, 'writeEvidence', { id: args[0], out: f.out, force: Boolean(f.force), ...byOf(f), draft: Boolean(f.draft), ...(f.lang ? { lang: f.lang } : {}) }, (r) => [
          `Wrote the evidence of ${args[0]} to ${r.path} (${r.pages} pages, SHA-256 ${r.sha256})${r.draft ? ', a DRAFT' : ''}.`,
        ]);
      }, progress),
    );

  program
    .command('export <id>')
    .description('write the package of an access or portability request: subject-data.json, its schema, and the readable PDF')
    .requiredOption('--out <dir>', 'the folder to write into (made if missing)')
    .option('--force', 'replace files of an earlier package in that folder')
    .option(BY_OPTION, BY_HELP)
    .option('--draft', DRAFT_HELP)
    .addOption(LANG_OPTION())
    .action(
      withCore((core, out, options, args) => {
        const f = options as FileFlags;
        return runOperation(core, out, 'writeSubjectPackage', { id: args[0], out: f.out, force: Boolean(f.force), ...byOf(f), draft: Boolean(f.draft), ...(f.lang ? { lang: f.lang } : {}) }, (r) => [
          `Wrote the package of ${args[0]} to ${r.dir}:`,
          ...r.files.map((file) => `  ${file.path}  SHA-256 ${file.sha256}`),
        ]);
      }, progress),
    );

  program
    .command('letter <id>')
    .description('write the reply to the data subject: confirmation, refusal or extension notice, as the request calls for')
    .requiredOption('--out <file>', 'the PDF to write')
    .option('--force', 'replace the file if it exists')
    .option(BY_OPTION, BY_HELP)
    .option('--draft', DRAFT_HELP)
    .addOption(LANG_OPTION())
    .action(
      withCore((core, out, options, args) => {
        const f = options as FileFlags;
        return runOperation(core, out, 'writeReplyLetter', { id: args[0], out: f.out, force: Boolean(f.force), ...byOf(f), draft: Boolean(f.draft), ...(f.lang ? { lang: f.lang } : {}) }, (r) => [
          `Wrote the reply (${r.kind}, ${r.lang}) for ${args[0]} to ${r.path} (${r.pages} pages).`,
        ]);
      }),
    );

  program
    .command('processor-request <id>')
    .description('write the processor request to Zoom as a PDF ready to send, with the address on a separate sheet')
    .requiredOption('--out <file>', 'the PDF to write')
    .option('--force', 'replace the file if it exists')
    .option(BY_OPTION, BY_HELP)
    .option('--draft', DRAFT_HELP)
    .addOption(LANG_OPTION())
    .action(
      withCore((core, out, options, args) => {
        const f = options as FileFlags;
        return runOperation(core, out, 'writeProcessorRequest', { id: args[0], out: f.out, force: Boolean(f.force), ...byOf(f), draft: Boolean(f.draft), ...(f.lang ? { lang: f.lang } : {}) }, (r) => [
          `Wrote the processor request of ${args[0]} to ${r.path} (${r.pages} pages; the last is the separate sheet with the address).`,
        ]);
      }),
    );

  program
    .command('report')
    .description('write the register report for a period (Art 30 record, management): PDF or CSV by the --out name')
    .requiredOption('--from <date>', 'first day, YYYY-MM-DD')
    .requiredOption('--to <date>', 'last day, YYYY-MM-DD')
    .requiredOption('--out <file>', 'FILE.pdf or FILE.csv')
    .option('--force', 'replace the file if it exists')
    .option(BY_OPTION, BY_HELP)
    .option('--draft', DRAFT_HELP)
    .addOption(LANG_OPTION())
    .action(
      withCore((core, out, options) => {
        const f = options as FileFlags & { from: string; to: string };
        return runOperation(
          core,
          out,
          'writeReport',
          { from: f.from, to: f.to, out: f.out, force: Boolean(f.force), ...byOf(f), draft: Boolean(f.draft), ...(f.lang ? { lang: f.lang } : {}) },
          (r) => [`Wrote the register report (${r.requests} requests) to ${r.path} (SHA-256 ${r.sha256}).`],
        );
      }, progress),
    );

  program
    .command('subject-hash')
    .description('print the keyed hash of an address, as documents print it: how an auditor given the address confirms a document concerns it')
    .requiredOption('--email <address>', 'the address')
    .action(withCore((core, out, options) => runOperation(core, out, 'subjectHash', { email: (options as { email: string }).email }, (r) => [r.hash])));
}
