import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCore } from '../../electron/core/service';
import { runCliAsync, tempDataDir } from '../helpers';
import { call } from '../sync/sync-helpers';
import { pdfText } from './doc-helpers';

// A document that goes out must say who sends it, how to reach them and where to complain:
// until the organisation is set, documents are refused, or written as drafts that say so.

describe('documents and the organisation', () => {
  it('refuse with ORGANISATION_INCOMPLETE naming what is missing and write nothing; --draft says DRAFT on every page; once set, the same document is sendable', async () => {
    const dataDir = tempDataDir();
    const core = await openCore({ dataDir });
    const id = (await call(core, 'createRequest', { type: 'erasure', email: 'jan.kowalski@example.pl', by: 'Dana DPO' })).id;
    await call(core, 'refuseRequest', { id, by: 'Rui Reviewer', reason: 'The sender could not be identified as the registrant.', article: '12(2)' });
    await call(core, 'updateSettings', { organisation_name: 'Beispiel Webinare GmbH' });
    await core.close();
    const cli = (...args: string[]) => runCliAsync(['--json', '--data-dir', dataDir, ...args]);
    const out = path.join(dataDir, 'reply.pdf');

    const refused = await cli('letter', id, '--out', out, '--by', 'Dana DPO');
    expect(refused.code).toBe(1);
    expect(refused.json).toMatchObject({
      error: { code: 'ORGANISATION_INCOMPLETE', message: expect.stringMatching(/organisation contact, supervisory authority.*--organisation-contact.*--supervisory-authority/) },
    });
    expect((refused.json as { error: { message: string } }).error.message).not.toContain('organisation name');
    expect(fs.existsSync(out)).toBe(false);
    for (const args of [
      ['evidence', id, '--out', out],
      ['report', '--from', '2026-01-01', '--to', '2030-12-31', '--out', out],
    ]) {
      expect((await cli(...args, '--by', 'Dana DPO')).json, args[0]).toMatchObject({ error: { code: 'ORGANISATION_INCOMPLETE' } });
      expect(fs.existsSync(out)).toBe(false);
    }

    const draft = await cli('letter', id, '--out', out, '--by', 'Dana DPO', '--draft', '--lang', 'de');
    expect(draft.json).toMatchObject({ draft: true, pages: expect.any(Number) });
    const pages = (draft.json as { pages: number }).pages;
    for (let page = 1; page <= pages; page++) expect(pdfText(out, { page }), `page ${page}`).toContain('DRAFT');

    // The authority by its code from `settings authorities`: written out as a letter names it.
    const set = await cli('settings', 'set', '--organisation-contact', 'Beispielstraße 1, 10115 Berlin', '--supervisory-authority', 'de-be');
    expect(set.json).toMatchObject({ supervisory_authority: 'Berliner Beauftragte für Datenschutz und Informationsfreiheit, Alt-Moabit 59-61, 10555 Berlin, Germany' });
    const sendable = await cli('letter', id, '--out', out, '--force', '--by', 'Dana DPO');
    expect(sendable.json).toMatchObject({ draft: false });
    expect(pdfText(out)).not.toContain('DRAFT');
    expect(pdfText(out, { layout: false }).replace(/\s+/g, ' ')).toContain('Alt-Moabit 59-61, 10555 Berlin');
  });
});
