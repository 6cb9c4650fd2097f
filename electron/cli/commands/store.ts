import path from 'node:path';
import { Option, type Command } from 'commander';
import type { OperationOutput } from '../../../shared/contract';
import { AUTHORITIES, authorityText } from '../../../shared/authorities';
import { LANGUAGES, ZOOM_PLANS } from '../../../shared/settings';
import { EXIT_OK } from '../output';
import { runOperation, type CliContext, type GlobalOptions } from './context';

// The dsr-desk commands for status and settings: each command's flags, its call and its output together.

export function registerStoreCommands(program: Command, { withCore }: CliContext): void {
  program
    .command('status')
    .description('show the encrypted store: where it is, whether it is encrypted, its schema version')
    .action(
      withCore((core, out) =>
        runOperation(core, out, 'getStoreStatus', {}, (s) => [
          `database:        ${s.path}`,
          `encrypted:       ${s.encrypted ? `yes (${s.cipher})` : 'NO'}`,
          `schema version:  ${s.schema_version} of ${s.latest_schema_version}`,
          `created:         ${s.created_at}`,
        ]),
      ),
    );

  const settings = program.command('settings').description('show or change settings');
  const settingsLines = (s: OperationOutput<'getSettings'>) => [
    `operator:         ${s.operator ?? '(not set: every act needs --by NAME)'}`,
    `organisation:     ${s.organisation_name ?? '(not set)'}`,
    `DPO email:        ${s.dpo_email ?? '(not set)'}`,
    `contact:          ${s.organisation_contact ?? '(not set)'}`,
    `purposes:         ${s.purposes ?? '(default text on documents)'}`,
    `retention text:   ${s.retention_text ?? '(default text on documents)'}`,
    `authority:        ${s.supervisory_authority ?? '(default text on documents)'}`,
    `reply language:   ${s.language}`,
    `Zoom plan:        ${s.zoom_plan}`,
    `retention:        ${s.request_retention_years} years`,
    `address grace:    ${s.erasure_address_grace_days} days (a closed erasure or restriction then keeps only the masked address)`,
    `time zone:        ${s.time_zone ?? `(this computer's: ${Intl.DateTimeFormat().resolvedOptions().timeZone})`}`,
    `holidays:         ${s.holidays.length > 0 ? s.holidays.join(', ') : '(none: weekends only)'}`,
    `backup folder:    ${s.backup_folder ?? '(none: no scheduled backups)'}`,
    `backups:          every ${s.backup_interval_hours} h, keep ${s.backup_keep}, after each erasure: ${s.backup_after_erasure ? 'yes' : 'no'}`,
    `backup recipients: ${s.backup_recipients.length > 0 ? s.backup_recipients.join(', ') : '(the recovery key only)'}`,
  ];
  settings
    .command('authorities')
    .description('the EU/EEA supervisory authorities, the German state authorities and the UK ICO, with the code --supervisory-authority takes')
    .action(
      withCore((_core, out) => {
        out.result({ authorities: AUTHORITIES }, () => AUTHORITIES.map((a) => `${a.id.padEnd(6)} ${a.where}: ${a.name}, ${a.address}`));
        return Promise.resolve(EXIT_OK);
      }),
    );
  settings
    .command('show')
    .description('show the settings')
    .action(withCore((core, out) => runOperation(core, out, 'getSettings', {}, settingsLines)));
  settings
    .command('set')
    .description('change one or more settings')
    .option('--operator <name>', 'who works at this desk: the name recorded for every act given without --by')
    .option('--organisation-name <name>', 'the controller, as it appears on evidence')
    .option('--dpo-email <email>', "the DPO's contact address, as it appears on evidence")
    .option('--organisation-contact <text>', "the controller's postal address or contact, as it appears on documents")
    .option('--purposes <text>', "why webinar registrants' data is processed, for the access information (Art 15(1)(a))")
    .option('--retention <text>', 'how long the data is kept, or the criteria, for the access information (Art 15(1)(d))')
    .option('--supervisory-authority <text>', 'the supervisory authority a data subject may complain to (Art 77): its name and address, or its code from `settings authorities` (e.g. de-be)')
    .addOption(new Option('--language <lang>', 'the language of replies to data subjects unless a request names its own').choices([...LANGUAGES]))
    .addOption(new Option('--zoom-plan <plan>', `the Zoom plan, which sets the API rate limits (${ZOOM_PLANS.join(', ')})`))
    .option('--retention-years <n>', 'years a closed request keeps its subject identifiers')
    .option('--processor-reply-days <n>', 'days Zoom has to answer a processor request once it is sent (default 30)')
    .option(
      '--erasure-address-grace-days <n>',
      "days a closed erasure or restriction request keeps the full address, for the reply, and the data folder keeps a closed request's files with personal data (default 30)",
    )
    .option('--time-zone <zone>', "the organisation's IANA time zone for deadline dates, e.g. Europe/Berlin")
    .option('--holidays <dates>', 'public holidays a deadline moves past, comma-separated YYYY-MM-DD (replaces the list; "" clears it)')
    .option('--backup-folder <dir>', 'where scheduled backups go (a network share or a USB disk); "" turns scheduled backups off')
    .option('--backup-interval-hours <n>', 'hours between scheduled backups while the desk or watch is open (default 24)')
    .option('--backup-keep <n>', 'how many backups the folder keeps; older ones are deleted (default 14)')
    .option('--backup-recipients <list>', 'further age recipients every backup is encrypted to, comma-separated age1… (replaces the list; "" clears it)')
    .addOption(new Option('--backup-after-erasure <bool>', 'a backup after every finished erasure job (default true)').choices(['true', 'false']))
    .action(
      withCore((core, out, options) => {
        const flags = options as GlobalOptions & Record<string, string | undefined>;
        const patch: Record<string, unknown> = {};
        if (flags.operator !== undefined) patch.operator = flags.operator;
        if (flags.organisationName !== undefined) patch.organisation_name = flags.organisationName;
        if (flags.dpoEmail !== undefined) patch.dpo_email = flags.dpoEmail;
        if (flags.organisationContact !== undefined) patch.organisation_contact = flags.organisationContact;
        if (flags.purposes !== undefined) patch.purposes = flags.purposes;
        if (flags.retention !== undefined) patch.retention_text = flags.retention;
        if (flags.supervisoryAuthority !== undefined) {
          const listed = AUTHORITIES.find((a) => a.id === flags.supervisoryAuthority!.trim().toLowerCase());
          patch.supervisory_authority = listed ? authorityText(listed) : flags.supervisoryAuthority;
        }
        if (flags.language !== undefined) patch.language = flags.language;
        if (flags.zoomPlan !== undefined) patch.zoom_plan = flags.zoomPlan;
        if (flags.retentionYears !== undefined) patch.request_retention_years = Number(flags.retentionYears);
        if (flags.processorReplyDays !== undefined) patch.processor_reply_days = Number(flags.processorReplyDays);
        if (flags.erasureAddressGraceDays !== undefined) patch.erasure_address_grace_days = Number(flags.erasureAddressGraceDays);
        if (flags.timeZone !== undefined) patch.time_zone = flags.timeZone;
        if (flags.holidays !== undefined)
          patch.holidays = flags.holidays
            .split(',')
            .map((d) => d.trim())
            .filter(Boolean);
        if (flags.backupFolder !== undefined) patch.backup_folder = flags.backupFolder.trim() === '' ? null : path.resolve(flags.backupFolder);
        if (flags.backupIntervalHours !== undefined) patch.backup_interval_hours = Number(flags.backupIntervalHours);
        if (flags.backupKeep !== undefined) patch.backup_keep = Number(flags.backupKeep);
        if (flags.backupRecipients !== undefined)
          patch.backup_recipients = flags.backupRecipients
            .split(',')
            .map((r) => r.trim())
            .filter(Boolean);
        if (flags.backupAfterErasure !== undefined) patch.backup_after_erasure = flags.backupAfterErasure === 'true';
        return runOperation(core, out, 'updateSettings', patch, settingsLines);
      }),
    );
}
