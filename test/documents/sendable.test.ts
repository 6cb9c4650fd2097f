import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { OperationInput } from '../../shared/contract';
import { call, connectedCore, dataDirOf } from '../sync/sync-helpers';
import { sandbox } from '../zoom/sandbox-helpers';
import { approvedRequest, SUBJECT } from '../jobs/job-helpers';
import { flat, pdfText } from './doc-helpers';

// Every document a DPO sends or files, in both languages, reads as written for a person: no
// placeholder, no command line, no raw timestamp, no webinar number without its title, no "(s)".

/** What a sendable document must not contain, each with why. */
const FORBIDDEN: [RegExp, string][] = [
  [/\[[^\]\n]{1,80}\]/, 'a [placeholder]'],
  [/dsr-desk|--[a-z]+-[a-z]+|`/, 'a command line'],
  [/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z/, 'a raw ISO timestamp'],
  [/\b8\d{10}\b(?! \()/, 'a bare webinar number'],
  [/\w\((s|es|ies|en|n)\)/, 'a (s)-style plural'],
];

function expectSendable(file: string, what: string): string {
  // DSR_DESK_DOCS=folder keeps a copy of each for a person to look at (pdftoppm).
  const keep = process.env.DSR_DESK_DOCS;
  if (keep) {
    fs.mkdirSync(keep, { recursive: true });
    fs.copyFileSync(file, path.join(keep, `${what.replace(/\W+/g, '-')}.pdf`));
  }
  const text = flat(pdfText(file));
  for (const [pattern, why] of FORBIDDEN) expect(text.match(pattern)?.[0] ?? null, `${what}: ${why}`).toBeNull();
  return text;
}

describe('documents a DPO can send as they are', () => {
  it('evidence, every letter, the processor request, the access and portability packages and the register report, in English and German', async () => {
    const box = await sandbox({ seed: 'demo' });
    const core = await connectedCore(box);
    const dir = dataDirOf(core);
    const out = (name: string) => path.join(dir, name);
    const write = async <K extends 'writeEvidence' | 'writeReplyLetter' | 'writeProcessorRequest' | 'writeReport'>(operation: K, input: Omit<OperationInput<K>, 'out'>, name: string) =>
      (await call(core, operation, { ...input, out: out(name) } as OperationInput<K>)).path;
    try {
      await call(core, 'updateSettings', { time_zone: 'Europe/Berlin' });
      // Access and portability first: the erasure then takes the subject's data away.
      const access = await approvedRequest(core, 'access');
      await call(core, 'runJob', { id: access, by: 'Jonas Runner' });
      const portability = await approvedRequest(core, 'portability');
      await call(core, 'runJob', { id: portability, by: 'Jonas Runner' });
      const packages = Object.fromEntries(
        await Promise.all(
          (['en', 'de'] as const).flatMap((lang) =>
            (
              [
                [access, 'access'],
                [portability, 'portability'],
              ] as const
            ).map(async ([id, kind]) => {
              const pkg = await call(core, 'writeSubjectPackage', { id, lang, out: out(`${kind}-${lang}`) });
              return [`${kind}-${lang}`, pkg.files.find((f) => f.path.endsWith('.pdf'))!.path] as const;
            }),
          ),
        ),
      );
      const erasure = await approvedRequest(core);
      await call(core, 'runJob', { id: erasure, by: 'Jonas Runner' });
      const refused = (await call(core, 'createRequest', { type: 'erasure', email: 'jan.kowalski@example.pl', by: 'Dana DPO' })).id;
      await call(core, 'refuseRequest', { id: refused, by: 'Rui Reviewer', reason: 'The sender could not be identified as the registrant.', article: '12(2)' });
      const extended = (await call(core, 'createRequest', { type: 'access', email: 'maria@example.de', by: 'Dana DPO' })).id;
      await call(core, 'extendRequest', { id: extended, by: 'Rui Reviewer', reason: 'the data is spread over many webinars', notified_at: new Date().toISOString() });

      for (const lang of ['en', 'de'] as const) {
        const texts: Record<string, string> = {};
        texts.evidence = expectSendable(await write('writeEvidence', { id: erasure, lang }, `evidence-${lang}.pdf`), `evidence ${lang}`);
        texts.waiting = expectSendable(await write('writeReplyLetter', { id: erasure, lang }, `letter-waiting-${lang}.pdf`), `erasure letter ${lang}`);
        texts.processor = expectSendable(await write('writeProcessorRequest', { id: erasure, lang }, `processor-${lang}.pdf`), `processor request ${lang}`);
        texts.refusal = expectSendable(await write('writeReplyLetter', { id: refused, lang }, `letter-refusal-${lang}.pdf`), `refusal ${lang}`);
        texts.extension = expectSendable(await write('writeReplyLetter', { id: extended, lang }, `letter-extension-${lang}.pdf`), `extension ${lang}`);
        texts.accessLetter = expectSendable(await write('writeReplyLetter', { id: access, lang }, `letter-access-${lang}.pdf`), `access letter ${lang}`);
        for (const kind of ['access', 'portability']) texts[kind] = expectSendable(packages[`${kind}-${lang}`]!, `${kind} package ${lang}`);
        texts.report = expectSendable(await write('writeReport', { from: '2026-01-01', to: '2030-12-31', lang }, `report-${lang}.pdf`), `register report ${lang}`);

        // Webinars by title, the law in the letter's own style, each article once in the reply.
        expect(texts.waiting).toContain(lang === 'de' ? '„Spring launch“' : '“Spring launch”');
        expect(texts.waiting).toContain(lang === 'de' ? 'Art. 17 DSGVO' : 'Article 17 GDPR');
        expect(texts.refusal.match(lang === 'de' ? /Art\. 77 DSGVO/g : /Article 77 GDPR/g)).toHaveLength(1);
        expect(texts.waiting.match(lang === 'de' ? /Art\. 77 DSGVO/g : /Article 77 GDPR/g)).toHaveLength(1);
        expect(texts.access).toMatch(lang === 'de' ? /Teilnahmedauer .* Minuten/ : /Time attended .* minutes/);
        expect(texts.evidence).toContain('Jonas Runner');
        // The choices at identity and approval, and what each read-back saw, in the document's language.
        expect(texts.evidence).toContain(lang === 'de' ? 'Antwort von der registrierten E-Mail-Adresse' : 'reply from the registered email address');
        expect(texts.evidence).toContain(lang === 'de' ? 'Art. 17 Abs. 1 lit. b DSGVO: Einwilligung widerrufen' : 'Article 17(1)(b) GDPR: consent withdrawn');
        expect(texts.evidence).toContain(lang === 'de' ? 'Keine der drei Listen von Zoom führt die Adresse' : "None of Zoom's three lists holds the address");
        expect(texts.evidence).toContain(lang === 'de' ? 'intakt: Jeder Eintrag stimmt' : 'intact: every entry holds');
        if (lang === 'de') for (const english of ["Zoom's", 'Gone:', 'no longer', 'matches its anchor']) expect(texts.evidence, english).not.toContain(english);
      }
    } finally {
      await core.close();
      await box.close();
    }
  }, 180_000);
});
