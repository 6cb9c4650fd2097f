import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startHttpDoor } from '../../electron/cli/http-door';
import { createDesk } from '../../electron/core/desk';
import { builtRendererDir } from '../../electron/core/paths';
import { openCore } from '../../electron/core/service';
import { tempDataDir } from '../helpers';
import { FIRST_RUN_SETTINGS } from '../sync/sync-helpers';

// The window writes only where the person chose: a caller of browser mode's API (or of the IPC)
// that names a path, or asks to replace a file, is refused and nothing is written anywhere.

describe('what the window may write', () => {
  it('refuses a document request naming a path (absolute, relative, with or without force) and writes nothing; without one the document goes to documents/; a name with a control character is refused', async () => {
    const dataDir = tempDataDir();
    const core = await openCore({ dataDir });
    await core.service.updateSettings({ ...FIRST_RUN_SETTINGS });
    const desk = createDesk(core, { dataDir });
    const door = await startHttpDoor({ dispatch: desk.dispatch, staticDir: builtRendererDir() });
    const api = async (operation: string, input: unknown) => {
      const res = await fetch(`http://127.0.0.1:${door.port}/api/${operation}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${door.token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(input),
      });
      return (await res.json()) as { ok: boolean; value?: { path?: string }; error?: { code: string; message: string } };
    };
    try {
      const filed = await api('createRequest', { type: 'erasure', email: 'jan.kowalski@example.pl', by: 'Dana DPO' });
      const id = (filed.value as unknown as { id: string }).id;
      await api('refuseRequest', { id, by: 'Rui Reviewer', reason: 'The sender could not be identified as the registrant.', article: '12(2)' });

      const victim = path.join(dataDir, '..', `notes-${path.basename(dataDir)}.txt`);
      fs.writeFileSync(victim, 'a file the person keeps\n');
      const before = fs.readFileSync(victim, 'utf8');
      const cwdTarget = path.resolve('relative-letter.pdf');
      const attempts: [string, Record<string, unknown>][] = [
        ['writeEvidence', { id, out: victim, force: true }],
        ['writeEvidence', { id, out: victim }],
        ['writeReplyLetter', { id, out: 'relative-letter.pdf' }],
        ['writeReplyLetter', { id, out: '../../relative-letter.pdf', force: true }],
        ['writeProcessorRequest', { id, out: '/tmp/processor.pdf' }],
        ['writeSubjectPackage', { id, out: path.join(dataDir, 'package') }],
        ['writeReport', { from: '2026-01-01', to: '2030-12-31', out: victim, force: true }],
        ['writeEvidence', { id, force: true }],
      ];
      for (const [operation, input] of attempts) {
        const answer = await api(operation, input);
        expect(answer, `${operation} ${JSON.stringify(input)}`).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: expect.stringContaining('--out') } });
      }
      expect(fs.readFileSync(victim, 'utf8')).toBe(before);
      expect(fs.existsSync(cwdTarget)).toBe(false);
      expect(fs.existsSync('/tmp/processor.pdf')).toBe(false);
      expect(fs.existsSync(path.join(dataDir, 'package'))).toBe(false);
      expect(fs.existsSync(path.join(dataDir, 'documents'))).toBe(false);

      // Without a path: into documents/ of the data folder, the report under documents/reports/.
      const letter = await api('writeReplyLetter', { id });
      expect(letter).toMatchObject({ ok: true, value: { path: expect.stringContaining(path.join(dataDir, 'documents', id)) } });
      const report = await api('writeReport', { from: '2026-01-01', to: '2030-12-31', format: 'csv' });
      expect(report).toMatchObject({ ok: true, value: { path: expect.stringMatching(new RegExp(`^${path.join(dataDir, 'documents', 'reports').replace(/[/\\]/g, '.')}.*\\.csv$`)) } });

      // The window reads back only what the app wrote into documents/ (a download, or Save As in the app).
      const read = await api('readDocument', { path: letter.value!.path! });
      expect(read).toMatchObject({ ok: true, value: { name: path.basename(letter.value!.path!), media_type: 'application/pdf' } });
      expect(
        Buffer.from((read.value as unknown as { base64: string }).base64, 'base64')
          .subarray(0, 5)
          .toString(),
      ).toBe('%PDF-');
      for (const other of [victim, '/etc/passwd', 'dsr-desk.db', path.join(dataDir, 'documents', '..', 'dsr-desk.db'), '../../etc/hostname']) {
        expect(await api('readDocument', { path: other }), other).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      }
      fs.symlinkSync('/etc/hostname', path.join(dataDir, 'documents', 'link.pdf'));
      expect(await api('readDocument', { path: path.join(dataDir, 'documents', 'link.pdf') })).toMatchObject({ ok: false });
      fs.rmSync(path.join(dataDir, 'documents', 'link.pdf'));

      // A forged name: refused at this door as at the others, nothing recorded.
      const timeline = ((await api('getRequest', { id })).value as unknown as { timeline: unknown[] }).timeline.length;
      const forged = await api('addRequestNote', { id, text: 'called back', by: 'Tess\u001b[31m Tester\nSecond line' });
      expect(forged).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('control characters') } });
      expect(((await api('getRequest', { id })).value as unknown as { timeline: unknown[] }).timeline).toHaveLength(timeline);
      fs.rmSync(victim);
    } finally {
      await door.close();
      await desk.close();
      await core.close();
    }
  });
});
