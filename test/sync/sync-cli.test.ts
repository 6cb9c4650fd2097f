import { describe, expect, it } from 'vitest';
import { runCliAsync } from '../helpers';
import { rawApi, sandbox } from '../zoom/sandbox-helpers';
import { connectedCore, dataDirOf } from './sync-helpers';

describe('dsr-desk sync, changes and find', () => {
  it("sync --webinar reads one webinar, also one Zoom no longer lists; an unknown ID fails with Zoom's answer and changes nothing", async () => {
    const box = await sandbox({ seed: 'demo' });
    const core = await connectedCore(box);
    const dataDir = dataDirOf(core);
    await core.close();

    const one = await runCliAsync(['--json', '--data-dir', dataDir, 'sync', '--webinar', '81234567892']);
    expect(one.code).toBe(0);
    expect(one.json).toMatchObject({ mode: 'webinar', webinars: 1, registrants: 20, participants: 14, changes: { registered: 20 } });
    const listed = box.requests().filter((r) => r.path.startsWith('/users'));
    expect(listed).toEqual([expect.objectContaining({ path: '/users/me' })]); // no account-wide listing, only connect's check

    const unknown = await runCliAsync(['--json', '--data-dir', dataDir, 'sync', '--webinar', '99999999999']);
    expect(unknown.code).toBe(1);
    expect(unknown.json).toEqual({ error: { code: 'ZOOM_WEBINAR_NOT_FOUND', message: expect.stringContaining('3001') } });
    const after = await runCliAsync(['--json', '--data-dir', dataDir, 'webinars']);
    expect((after.json as { webinars: { id: string }[] }).webinars.map((w) => w.id)).toEqual(['81234567892']);
    const bad = await runCliAsync(['--json', '--data-dir', dataDir, 'sync', '--webinar', 'abc', '--full']);
    expect(bad.code).toBe(2);
    expect((bad.json as { error: { message: string } }).error.message).toMatch(/webinar_id: a Zoom webinar ID is a number/);

    // The webinar as a whole goes, and a --webinar sync of it says so.
    expect((await rawApi(box, 'DELETE', '/webinars/81234567892')).status).toBe(204);
    const gone = await runCliAsync(['--json', '--data-dir', dataDir, 'sync', '--webinar', '81234567892']);
    expect(gone.json).toMatchObject({ webinars: 1, changes: { deleted: 20 } });
    const changes = await runCliAsync(['--json', '--data-dir', dataDir, 'changes', '--webinar', '81234567892']);
    const kinds = (changes.json as { changes: { kind: string }[] }).changes.map((c) => c.kind);
    expect(kinds.filter((k) => k === 'registered')).toHaveLength(20);
    expect(kinds.filter((k) => k === 'deleted')).toHaveLength(20);
    const human = await runCliAsync(['--data-dir', dataDir, 'webinars']);
    expect(human.stdout).toContain('81234567892  Spring launch (deleted on Zoom)');
  });
});
