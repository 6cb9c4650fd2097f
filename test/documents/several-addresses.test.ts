import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { control, sandbox } from '../zoom/sandbox-helpers';
import { call, connectedCore, dataDirOf } from '../sync/sync-helpers';
import { SUBJECT } from '../jobs/job-helpers';
import { flat, pdfText, validateWithShippedSchema } from './doc-helpers';

// Issue 28: the documents of a request for a person with several addresses cover every address
// and say which record came from which.

const PRIVATE = 'erika.private@example.net';
const dana = 'Dana DPO';

async function approved(core: Awaited<ReturnType<typeof connectedCore>>, type: 'access' | 'erasure'): Promise<string> {
  const { id } = await call(core, 'createRequest', { type, emails: [SUBJECT, PRIVATE], by: dana });
  await call(core, 'verifyIdentity', { id, email: SUBJECT, method: 'reply_from_registered_address', by: dana });
  await call(core, 'verifyIdentity', { id, email: PRIVATE, method: 'existing_account', by: dana });
  await call(core, 'approveRequest', { id, by: 'Rui Reviewer', ...(type === 'erasure' ? { ground: '17(1)(b)', exceptions_checked: true } : {}) });
  return id;
}

describe('documents of a request with several addresses', () => {
  it('the access package groups the records by address (valid against the shipped schema); the evidence, the reply letter and the processor request name every address', async () => {
    const box = await sandbox({ seed: 'demo' });
    await control(box, 'POST', 'register', { webinar_id: '81234567890', email: PRIVATE, first_name: 'Erika', last_name: 'Mustermann' });
    const core = await connectedCore(box);
    const dataDir = dataDirOf(core);
    try {
      await call(core, 'syncZoom', {});
      const access = await approved(core, 'access');
      expect((await call(core, 'runJob', { id: access, by: dana })).status).toBe('completed');
      const data = JSON.parse(fs.readFileSync(path.join(dataDir, 'exports', access, 'subject-data.json'), 'utf8'));
      expect(validateWithShippedSchema(data)).toEqual([]);
      expect(data.version).toBe(3);
      expect(data.subject).toEqual({ email: SUBJECT, emails: [SUBJECT, PRIVATE] });
      expect(data.by_address.map((g: { email: string; counts: { registrations: number } }) => [g.email, g.counts.registrations])).toEqual([
        [SUBJECT, 5],
        [PRIVATE, 1],
      ]);
      expect(data.counts.registrations).toBe(6);
      // The same webinar under both addresses counts once.
      expect(data.counts.webinars).toBe(3);
      expect(data.by_address[1].accounts[0].webinars.map((w: { event_id: string; registrations: { fields: { email: string } }[] }) => [w.event_id, w.registrations[0]!.fields.email])).toEqual([
        ['81234567890', PRIVATE],
      ]);
      const readable = flat(pdfText(path.join(dataDir, 'exports', access, `your-data-${access}.pdf`)));
      expect(readable).toContain(`Under ${SUBJECT}`);
      expect(readable).toContain(`Under ${PRIVATE}`);

      const erasure = await approved(core, 'erasure');
      expect((await call(core, 'runJob', { id: erasure, by: dana })).status).toBe('completed');
      const dir = path.join(dataDir, 'docs');
      fs.mkdirSync(dir);
      await call(core, 'writeEvidence', { id: erasure, out: path.join(dir, 'evidence.pdf') });
      const evidence = flat(pdfText(path.join(dir, 'evidence.pdf')));
      const request = await call(core, 'getRequest', { id: erasure });
      expect(evidence).toContain('Every address of the person');
      // Each address's keyed hash (a table cell may break it across lines).
      for (const a of request.addresses) expect(evidence.replace(/\s/g, '')).toContain(a.subject_hash);
      expect(evidence).toContain('Identity checked for e***@example.com');
      expect(evidence).toContain('Identity checked for e***@example.net');
      expect(evidence).toContain('every address'); // a sweep of Zoom's lists looks for both
      expect(evidence).not.toContain(PRIVATE);

      await call(core, 'writeReplyLetter', { id: erasure, out: path.join(dir, 'reply.pdf'), lang: 'en' });
      const letter = flat(pdfText(path.join(dir, 'reply.pdf')));
      expect(letter).toContain('This reply covers every email address of yours that your request concerns');
      expect(letter).toContain(`(${PRIVATE})`);
      await call(core, 'writeReplyLetter', { id: erasure, out: path.join(dir, 'antwort.pdf'), lang: 'de' });
      expect(flat(pdfText(path.join(dir, 'antwort.pdf')))).toContain('Diese Antwort gilt für jede Ihrer E-Mail-Adressen');

      await call(core, 'writeProcessorRequest', { id: erasure, out: path.join(dir, 'zoom.pdf') });
      const zoom = flat(pdfText(path.join(dir, 'zoom.pdf')));
      expect(zoom).toContain(`Email address 1 ${SUBJECT}`);
      expect(zoom).toContain(`Email address 2 ${PRIVATE}`);
    } finally {
      await core.close();
      await box.close();
    }
  });
});
