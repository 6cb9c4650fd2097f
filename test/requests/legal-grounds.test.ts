import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { flat, pdfText } from '../documents/doc-helpers';
import { runCliAsync } from '../helpers';
import { SUBJECT } from '../jobs/job-helpers';
import { connectedCore, dataDirOf } from '../sync/sync-helpers';
import { sandbox } from '../zoom/sandbox-helpers';

// Art 17(1) and 17(3) as choices: an erasure is approved on a named ground after the exceptions
// are checked, an identity by a method from a list; the register keeps the codes, the timeline,
// the audit entry and the evidence say them in words.

interface Detail {
  status: string;
  identity: { method: string } | null;
  decision: { ground: string | null; exceptions_checked: boolean } | null;
}

describe('legal grounds as choices', () => {
  it('records the Art 17(1) ground and the Art 17(3) check of an erasure, refuses them on another type, and prints them in words in the evidence', async () => {
    const box = await sandbox({ seed: 'demo' });
    const core = await connectedCore(box);
    const dataDir = dataDirOf(core);
    await core.close();
    const cli = (...args: string[]) => runCliAsync(['--json', '--data-dir', dataDir, ...args]);
    try {
      const erasure = ((await cli('request', 'create', '--type', 'erasure', '--email', SUBJECT)).json as { id: string }).id;
      await cli('request', 'verify-identity', erasure, '--method', 'reply_from_registered_address');
      // A ground outside Art 17(1) is refused, naming the choices; the request is unchanged.
      const unknown = await cli('request', 'approve', erasure, '--ground', '6(1)(f)', '--exceptions-checked');
      expect(unknown.code).toBe(2);
      expect(unknown.json).toMatchObject({ error: { code: 'INVALID_INPUT', message: expect.stringContaining('17(1)(a)') } });
      expect(((await cli('request', 'show', erasure)).json as Detail).status).toBe('identity_verified');

      const approved = (await cli('request', 'approve', erasure, '--ground', '17(1)(b)', '--exceptions-checked')).json as Detail;
      expect(approved).toMatchObject({ status: 'approved', identity: { method: 'reply_from_registered_address' }, decision: { ground: '17(1)(b)', exceptions_checked: true } });
      const exported = path.join(dataDir, 'audit.jsonl');
      await cli('audit', 'export', '--out', exported);
      const entries = fs
        .readFileSync(exported, 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { action: string; request_id: string; details: Record<string, unknown> });
      expect(entries.find((e) => e.action === 'request.approve' && e.request_id === erasure)!.details).toMatchObject({ ground: '17(1)(b)', exceptions_checked: true });

      // An access request has no Art 17 ground: refused, and nothing changes.
      const access = ((await cli('request', 'create', '--type', 'access', '--email', SUBJECT)).json as { id: string }).id;
      await cli('request', 'verify-identity', access, '--method', 'asked on the phone and called back on the number on file');
      const wrong = await cli('request', 'approve', access, '--ground', '17(1)(a)');
      expect(wrong.json).toMatchObject({ error: { code: 'INVALID_INPUT', message: expect.stringContaining('not an erasure') } });
      expect(((await cli('request', 'show', access)).json as Detail).status).toBe('identity_verified');
      expect(((await cli('request', 'approve', access)).json as Detail).decision).toMatchObject({ ground: null, exceptions_checked: false });

      // The evidence in either language: the method and the ground in words, the check with its person.
      for (const lang of ['en', 'de'] as const) {
        const file = path.join(dataDir, `evidence-${lang}.pdf`);
        expect((await cli('evidence', erasure, '--out', file, '--lang', lang)).code).toBe(0);
        const text = flat(pdfText(file));
        if (lang === 'en') {
          expect(text).toContain('reply from the registered email address (by');
          expect(text).toContain('Article 17(1)(b) GDPR: consent withdrawn, and no other legal basis');
          expect(text).toMatch(/Exceptions \(Article 17\(3\) GDPR\) checked by \S+ \S+ on .*: none applies/);
        } else {
          expect(text).toContain('Antwort von der registrierten E-Mail-Adresse (durch');
          expect(text).toContain('Art. 17 Abs. 1 lit. b DSGVO: Einwilligung widerrufen, keine andere Rechtsgrundlage');
          expect(text).toMatch(/Ausnahmen \(Art\. 17 Abs\. 3 DSGVO\) geprüft durch \S+ \S+ am .*: keine greift/);
        }
      }
    } finally {
      await box.close();
    }
  });
});
