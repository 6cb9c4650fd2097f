import { describe, expect, it } from 'vitest';
import { runCliAsync } from '../helpers';
import { control, sandbox } from '../zoom/sandbox-helpers';
import { connectedCore, dataDirOf, sandboxRegistrants } from './sync-helpers';

describe('sync and lookups at debug level', () => {
  it('write no registrant address or name to stderr, even when a sync fails half way', async () => {
    const box = await sandbox({ seed: 'demo' });
    const core = await connectedCore(box);
    const dataDir = dataDirOf(core);
    await core.close();
    const people = [...(await sandboxRegistrants(box, '81234567890')), ...(await sandboxRegistrants(box, '81234567892'))];
    const env = { ...process.env, DSR_DESK_LOG: 'debug' };

    const runs = [await runCliAsync(['--verbose', '--data-dir', dataDir, 'sync'], { env })];
    // A sync that Zoom's daily limit stops, then one through injected server errors.
    await control(box, 'POST', 'faults', { exhaust_daily: 'heavy_shared' });
    runs.push(await runCliAsync(['--verbose', '--data-dir', dataDir, 'sync', '--full'], { env }));
    await control(box, 'POST', 'faults', { clear: true, fail_calls: { nth: 3, status: 500, count: 6 } });
    runs.push(await runCliAsync(['--verbose', '--data-dir', dataDir, 'sync', '--full'], { env }));
    runs.push(await runCliAsync(['--verbose', '--data-dir', dataDir, 'changes'], { env }));
    runs.push(await runCliAsync(['--verbose', '--json', '--data-dir', dataDir, 'find', '--email', people[0]!.email], { env }));

    expect(runs.map((r) => r.code)).toEqual([0, 1, 0, 0, 0]);
    expect(runs[1]!.stderr).toContain('ZOOM_DAILY_LIMIT');
    expect(runs.map((r) => r.stderr).join('\n')).toMatch(/"subsystem":"sync"/); // debug logging was on
    const stderr = runs
      .map((r) => r.stderr)
      .join('\n')
      .toLowerCase();
    for (const person of people) {
      expect(stderr).not.toContain(person.email.toLowerCase());
      expect(stderr).not.toContain(person.email.split('@')[0]!.toLowerCase());
    }
  });
});
