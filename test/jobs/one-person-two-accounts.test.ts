import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_SUBJECT, DEMO_SUBJECT_PRIVATE, eventIdOffset } from '../../electron/core/sandbox/seed';
import type { ZoomSandbox } from '../../electron/core/sandbox/server';
import { runCliAsync, tempDataDir, type CliRun } from '../helpers';
import { flat, pdfText, validateWithShippedSchema } from '../documents/doc-helpers';
import { FIRST_RUN_SETTINGS } from '../sync/sync-helpers';
import { sandbox } from '../zoom/sandbox-helpers';

// Issue 28's first acceptance point, as a DPO would do it on the command line: one person who
// registered with her work address in one Zoom account and her private one in another (two
// sandboxes, two account IDs, webinars and meetings in each), one request, one run.

const EU = 'sandbox-account-eu';
const WORK = DEMO_SUBJECT.email;
const PRIVATE = DEMO_SUBJECT_PRIVATE;

interface Step {
  event_type: string;
  event_id: string;
  account: string;
  email: string | null;
  registrant_id: string | null;
  source: string;
  verified: boolean;
  actions: { action: string; result: string; http_status: number | null }[];
}

async function cli(dataDir: string, ...args: string[]): Promise<CliRun> {
  const run = await runCliAsync(['--json', '--data-dir', dataDir, ...args]);
  if (run.code !== 0) throw new Error(`dsr-desk ${args.join(' ')} exited ${run.code}: ${run.stdout}`);
  return run;
}

const registrantDeletes = (box: ZoomSandbox) => box.requests().filter((r) => r.method === 'DELETE' && r.path.includes('/registrants/'));

describe('one person, two addresses, two Zoom accounts', () => {
  it('one request and one run delete every registration once, verified, with each record named by address and account in the evidence and the package', async () => {
    const work = await sandbox({ seed: 'demo' });
    const eu = await sandbox({ seed: 'demo', accountId: EU });
    const dataDir = tempDataDir();
    await cli(dataDir, 'settings', 'set', '--operator', FIRST_RUN_SETTINGS.operator);
    await cli(
      dataDir,
      'settings',
      'set',
      '--organisation-name',
      FIRST_RUN_SETTINGS.organisation_name,
      '--organisation-contact',
      FIRST_RUN_SETTINGS.organisation_contact,
      '--supervisory-authority',
      FIRST_RUN_SETTINGS.supervisory_authority,
    );
    await cli(dataDir, 'connect', '--sandbox', '--sandbox-port', String(work.port));
    await cli(dataDir, 'connect', '--sandbox', '--sandbox-port', String(eu.port), '--name', 'eu');
    const accounts = (await cli(dataDir, 'accounts')).json as { accounts: { name: string; account_id: string }[] };
    expect(accounts.accounts.map((a) => [a.name, a.account_id])).toEqual([
      ['default', 'sandbox-account'],
      ['eu', EU],
    ]);

    const created = (await cli(dataDir, 'request', 'create', '--type', 'erasure', '--email', WORK, '--email', PRIVATE)).json as { id: string; emails: string[] };
    expect(created.emails).toEqual([WORK, PRIVATE]);
    const { id } = created;
    const synced = (await cli(dataDir, 'sync')).json as { accounts: { account: string; webinars: number; meetings: number }[] };
    expect(synced.accounts.map((a) => [a.account, a.webinars, a.meetings])).toEqual([
      ['default', 3, 2],
      ['eu', 3, 2],
    ]);

    // find answers for both addresses at once, each match naming its address and account.
    const found = (await cli(dataDir, 'find', '--email', WORK, '--email', PRIVATE)).json as { matches: { email: string; account: string; source: string; event_type: string }[] };
    const registrations = found.matches.filter((m) => m.source === 'registrant');
    expect(new Set(registrations.map((m) => `${m.email} ${m.account}`))).toEqual(new Set([`${WORK} default`, `${PRIVATE} eu`]));
    expect(new Set(registrations.map((m) => m.event_type))).toEqual(new Set(['webinar', 'meeting']));

    await cli(dataDir, 'request', 'verify-identity', id, '--method', 'reply_from_registered_address');
    await cli(dataDir, 'request', 'approve', id, '--ground', '17(1)(b)', '--exceptions-checked');
    for (const box of [work, eu]) box.requests().splice(0);
    const result = (await cli(dataDir, 'job', 'run', id)).json as { status: string; steps: Step[] };
    expect(result.status).toBe('completed');

    // Every registration of either address, in either account, deleted once on its own account and verified gone.
    const steps = result.steps.filter((s) => s.source === 'registrant');
    expect(steps).toHaveLength(registrations.length);
    expect(steps.every((s) => s.verified)).toBe(true);
    expect(new Set(steps.map((s) => `${s.email} ${s.account}`))).toEqual(new Set([`${WORK} default`, `${PRIVATE} eu`]));
    for (const [box, account] of [
      [work, 'default'],
      [eu, 'eu'],
    ] as const) {
      const deleted = registrantDeletes(box).map((r) => r.path);
      const ours = steps.filter((s) => s.account === account && s.actions.some((a) => a.action === 'delete' && a.result === 'done' && a.http_status === 204));
      expect(deleted).toHaveLength(ours.length);
      expect(new Set(deleted).size).toBe(deleted.length);
      for (const step of ours) expect(deleted.some((p) => p.endsWith(`/${step.event_id}/registrants/${step.registrant_id}`))).toBe(true);
    }
    expect(steps.filter((s) => s.account === 'eu').map((s) => s.event_id)).toContain(String(eventIdOffset(EU) + 85_234_567_890));

    // The evidence names each record's address and account.
    const evidenceFile = path.join(dataDir, 'evidence.pdf');
    await cli(dataDir, 'evidence', id, '--out', evidenceFile);
    const evidence = flat(pdfText(evidenceFile));
    // The addresses masked, each with its keyed hash (the evidence never prints an address whole).
    expect(evidence).toContain('e***@example.com');
    expect(evidence).toContain('e***@mail.example.net');
    expect(evidence).not.toContain(WORK);
    // Each registration's line names its account and its address (the table's column may fall between the words).
    expect(evidence).toContain('Zoom account “eu”');
    expect(evidence).toContain('Zoom account “default”');
    for (const step of steps) expect(evidence).toContain(`registration ${step.registrant_id} · ${step.account === 'eu' ? 'e***@mail.example.net' : 'e***@example.com'}`);
  });

  it('an access package groups the records by address, then by Zoom account, and validates against the shipped schema', async () => {
    const work = await sandbox({ seed: 'demo' });
    const eu = await sandbox({ seed: 'demo', accountId: EU });
    const dataDir = tempDataDir();
    await cli(dataDir, 'settings', 'set', '--operator', FIRST_RUN_SETTINGS.operator);
    await cli(dataDir, 'connect', '--sandbox', '--sandbox-port', String(work.port));
    await cli(dataDir, 'connect', '--sandbox', '--sandbox-port', String(eu.port), '--name', 'eu');
    const { id } = (await cli(dataDir, 'request', 'create', '--type', 'access', '--email', WORK, '--email', PRIVATE)).json as { id: string };
    await cli(dataDir, 'sync');
    await cli(dataDir, 'request', 'verify-identity', id, '--method', 'reply_from_registered_address');
    await cli(dataDir, 'request', 'approve', id);
    expect(((await cli(dataDir, 'job', 'run', id)).json as { status: string }).status).toBe('completed');
    const out = path.join(dataDir, 'package');
    await cli(dataDir, 'export', id, '--out', out, '--draft');
    const data = JSON.parse(fs.readFileSync(path.join(out, 'subject-data.json'), 'utf8')) as {
      by_address: { email: string; accounts: { account: string; webinars: unknown[]; meetings: unknown[] }[] }[];
    };
    expect(validateWithShippedSchema(data)).toEqual([]);
    expect(data.by_address.map((g) => [g.email, g.accounts.map((a) => [a.account, a.webinars.length, a.meetings.length])])).toEqual([
      [WORK, [['default', 3, 2]]],
      [PRIVATE, [['eu', 3, 2]]],
    ]);
    const readable = flat(
      pdfText(
        fs
          .readdirSync(out)
          .map((f) => path.join(out, f))
          .find((f) => f.endsWith('.pdf'))!,
      ),
    );
    expect(readable).toContain(`Under ${PRIVATE}`);
    expect(readable).toContain('In the Zoom account “eu”');
  });
});
