import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { keytarBackend, Secrets } from '../../electron/core/secrets';
import { runCliAsync, sha256File } from '../helpers';
import { control, sandbox } from '../zoom/sandbox-helpers';
import { call, connectedCore, dataDirOf, sandboxRegistrants } from '../sync/sync-helpers';
import { approvedRequest, SUBJECT } from '../jobs/job-helpers';
import { flat, pdfFonts, pdfText, wordBoxes } from './doc-helpers';

const UPCOMING = '81234567890';

interface Verdict {
  ok: boolean;
  entries: number;
  head: string;
}

describe('the evidence PDF', () => {
  it('shows every section for an erasure with a failed and retried call, a self-cancelled registration and a residual record; hash and anchor check out', async () => {
    const box = await sandbox({ seed: 'demo' });
    const core = await connectedCore(box);
    const dataDir = dataDirOf(core);
    const out = path.join(dataDir, 'evidence.pdf');
    let id = '';
    let before: Verdict;
    let written: { path: string; sha256: string; pages: number };
    try {
      await call(core, 'updateSettings', { organisation_name: 'Beispiel GmbH', dpo_email: 'dpo@beispiel.example' });
      await call(core, 'syncZoom', {});
      const mine = (await sandboxRegistrants(box, UPCOMING)).find((r) => r.email === SUBJECT)!;
      await control(box, 'POST', 'self-cancel', { webinar_id: UPCOMING, registrant_id: mine.id });
      id = await approvedRequest(core);
      await call(core, 'syncZoom', {}); // self_cancelled, and a mirror newer than the request
      // The job's first call to Zoom fails with a 500 that changed nothing; the next run retries it.
      await control(box, 'POST', 'faults', { fail_calls: { nth: 1, status: 500, count: 1 } });
      let result = await call(core, 'runJob', { id });
      for (let i = 0; i < 3 && result.status !== 'completed'; i++) result = await call(core, 'runJob', { id });
      expect(result.status).toBe('completed');
      expect(result.residual.some((r) => r.source === 'participant')).toBe(true);

      before = await call(core, 'verifyAudit', {});
      written = await call(core, 'writeEvidence', { id, out });
      expect(written).toEqual({ path: out, sha256: sha256File(out), pages: expect.any(Number), draft: false });
      expect(written.pages).toBeGreaterThanOrEqual(3);
      const text = flat(pdfText(out));

      for (const section of [
        '1. The request',
        '2. The data subject',
        '3. Identity verification and decisions',
        '4. The plan',
        '5. Every call to Zoom, as Zoom answered it',
        '6. Verification, read back from Zoom',
        '7. What Zoom still holds, and the processor request',
        '8. The audit log',
        'The chain when this document was made',
      ]) {
        expect(text).toContain(section);
      }
      // The request, its identity check and decision, with who and why.
      expect(text).toContain(`Request ${id}`);
      expect(text).toContain('erasure (Article 17 GDPR)');
      expect(text).toContain('reply from the registered email address (by Dana DPO');
      expect(text).toContain('approved by Rui Reviewer');
      expect(text).toContain('Beispiel GmbH');
      // The sync the plan was made from.
      expect(text).toMatch(/the comparison with Zoom of \d+ \w+ \d{4}, \d\d:\d\d:\d\d \w+ \(finished/);
      // The failed call and its retry: a 500 and then Zoom's own answer, for the same registration.
      const calls = flat(pdfText(out, { layout: true }));
      // (Table cells wrap: "delete on Zoom: outcome unknown" reads "delete on Zoom: 500 · 500 … outcome unknown" in layout order.)
      expect(calls).toMatch(/delete on Zoom: 500 · 500 .*outcome unknown/);
      const failedAt = calls.indexOf('delete on Zoom: 500 · 500');
      const retriedAt = calls.indexOf('delete on Zoom: 204', failedAt);
      expect(failedAt).toBeGreaterThan(0);
      expect(retriedAt).toBeGreaterThan(failedAt);
      // The self-cancelled registration: deleted (204) and read back gone (3079).
      expect(text).toContain(mine.id);
      expect(calls).toContain('read back: done 400 · 3079');
      // Residual data and the processor request with its history.
      expect(text).toMatch(/attendance report \(1\)/);
      expect(text).toContain('Processor request to Zoom (Articles 28(3)(e) and 19 GDPR): prepared, not yet sent');
      // The subject at minimum: masked address and a keyed hash recomputed here from the address.
      expect(text).not.toContain(SUBJECT);
      expect(text).toContain('e***@example.com');
      const key = await new Secrets(keytarBackend(), dataDir).suppressionKey({ create: false });
      const hash = createHmac('sha256', Buffer.from(key!, 'hex')).update(SUBJECT.trim().toLowerCase()).digest('hex');
      expect(text).toContain(hash);
      expect(text).toContain('DSR Desk computes it for any address it is given');
      // The chain's anchor as audit verify saw it when the document was made.
      expect(text).toContain(`Entries ${before.entries}`);
      expect(text).toContain(`Head (hash of the last entry) ${before.head}`);
      expect(text).toContain(`Page 1 of ${written.pages}`);
      expect(text).toMatch(/DSR Desk \d+\.\d+\.\d+ · evidence of DSR-/);

      // Every font embedded (shipped Noto fonts, no system font); nothing runs off the page.
      const fonts = pdfFonts(out);
      expect(fonts.length).toBeGreaterThan(0);
      expect(fonts.every((f) => f.embedded && /Noto/.test(f.name))).toBe(true);
      expect(wordBoxes(out).every((w) => w.xMax <= w.pageWidth - 40 && w.yMax <= w.pageHeight - 30)).toBe(true);
    } finally {
      await core.close();
    }

    // Later, audit verify still holds and confirms the document: its anchor entry carries its head, and the log records the PDF's hash.
    const after = (await runCliAsync(['--json', '--data-dir', dataDir, 'audit', 'verify'])).json as Verdict;
    expect(after).toMatchObject({ ok: true, entries: before.entries + 1 });
    const exported = path.join(dataDir, 'audit.jsonl');
    await runCliAsync(['--json', '--data-dir', dataDir, 'audit', 'export', '--out', exported]);
    const lines = fs
      .readFileSync(exported, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { seq: number; hash: string; action: string; request_id: string; details: { sha256?: string } });
    expect(lines[before.entries - 1]!.hash).toBe(before.head);
    expect(lines[lines.length - 1]).toMatchObject({ action: 'document.evidence', request_id: id, details: { sha256: written.sha256 } });

    // The CLI: --json prints {path, sha256, pages}; an existing file is refused and left as it was; an unwritable path writes nothing.
    const again = await runCliAsync(['--json', '--data-dir', dataDir, 'evidence', id, '--out', out]);
    expect(again).toMatchObject({ code: 2, json: { error: { code: 'OUTPUT_EXISTS', message: expect.stringContaining(`${out} exists`) } } });
    expect(sha256File(out)).toBe(written.sha256);
    const forced = await runCliAsync(['--json', '--data-dir', dataDir, 'evidence', id, '--out', out, '--force']);
    expect(forced.code).toBe(0);
    expect(Object.keys(forced.json as object).sort()).toEqual(['draft', 'pages', 'path', 'sha256']);
    expect((forced.json as { sha256: string }).sha256).toBe(sha256File(out));
    const nowhere = path.join(dataDir, 'missing', 'evidence.pdf');
    const failed = await runCliAsync(['--json', '--data-dir', dataDir, 'evidence', id, '--out', nowhere]);
    expect(failed).toMatchObject({ code: 1, json: { error: { code: 'OUTPUT_UNWRITABLE' } } });
    expect(fs.readdirSync(dataDir).filter((f) => f.includes('.partial'))).toEqual([]);
    // The subject-hash command recomputes what the page prints.
    const printed = await runCliAsync(['--json', '--data-dir', dataDir, 'subject-hash', '--email', ` ${SUBJECT.toUpperCase()} `]);
    expect(flat(pdfText(out))).toContain((printed.json as { hash: string }).hash);
  }, 120_000);
});
