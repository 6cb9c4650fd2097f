import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PdfWriter } from '../../electron/core/documents/pdf/typeset';
import { tempDataDir } from '../helpers';
import { flat, pdfFonts, pdfText, wordBoxes } from './doc-helpers';

const NAMES: [string, string][] = [
  ['German', 'Jürgen Müller-Lüdenscheidt, Weißenburger Straße'],
  ['Polish', 'Łukasz Wałęsa-Żółkiewski'],
  ['Greek', 'Αλέξανδρος Παπαδόπουλος'],
  ['Cyrillic', 'Дмитрий Шостакович'],
  ['Chinese', '王小明'],
  ['Japanese', '山田 太郎 やまだ たろう'],
  ['Arabic', 'محمد علي'],
  ['Hebrew', 'דוד בן גוריון'],
  ['Korean', '김민준'],
  ['Hindi', 'अमित शर्मा'],
  ['Thai', 'สมชาย ใจดี'],
  ['Armenian', 'Արամ Խաչատրյան'],
  ['Georgian', 'ნინო ბერიძე'],
];

async function sample(): Promise<{ bytes: Buffer; pages: number }> {
  const pdf = new PdfWriter({ title: 'Typesetter', footer: 'DSR Desk test', generatedAt: new Date('2026-11-23T10:00:00Z'), lang: 'en', pageLabel: (p, n) => `Page ${p} of ${n}` });
  pdf.heading('Names in every script');
  pdf.fields(NAMES);
  pdf.heading('A table longer than a page');
  const rows = Array.from({ length: 160 }, (_, i) => [
    `row-${i}`,
    i % 10 === 0 ? `${'averyveryverylongvaluewithoutanyspace'.repeat(4)} and then words that wrap` : 'short',
    NAMES[i % NAMES.length]![1],
  ]);
  pdf.table(
    [
      { header: 'Key', width: 1 },
      { header: 'Value', width: 3 },
      { header: 'Name', width: 2 },
    ],
    rows,
  );
  return pdf.finish();
}

describe('the typesetter every document uses', () => {
  it('sets names in every script with shipped fonts, right-to-left in logical order, wraps long values, repeats a table header on every page; same input, same bytes', async () => {
    const first = await sample();
    const second = await sample();
    expect(second.bytes.equals(first.bytes)).toBe(true);
    const file = path.join(tempDataDir(), 'typeset.pdf');
    fs.writeFileSync(file, first.bytes);

    const text = flat(pdfText(file));
    // pdftotext gives back every name in logical order, but for Devanagari, whose vowel signs are
    // drawn before the consonant they follow, it returns the drawing order: that one is checked by
    // the font that has it, Noto Sans, being embedded (and by eye: the PNG review in the note).
    for (const [script, name] of NAMES) if (script !== 'Hindi') expect(text).toContain(name);
    // Every font embedded, and each one of ours (no system font, no standard-14 font).
    const fonts = pdfFonts(file);
    expect(fonts.map((f) => f.name.replace(/^[A-Z]{6}\+/, '')).sort()).toEqual([
      'NotoSans-Bold',
      'NotoSans-Regular',
      'NotoSansArabic-Regular',
      'NotoSansArmenian-Regular',
      'NotoSansGeorgian-Regular',
      'NotoSansHebrew-Regular',
      'NotoSansKR-Regular',
      'NotoSansSC-Regular',
      'NotoSansThai-Regular',
    ]);
    expect(fonts.every((f) => f.embedded)).toBe(true);
    // The table spans pages and its header heads each of them; a page number on every page.
    expect(first.pages).toBeGreaterThanOrEqual(3);
    for (let page = 2; page <= first.pages; page++) {
      const pageText = flat(pdfText(file, { page }));
      expect(pageText).toMatch(/^ ?Key Value Name /);
      expect(pageText).toContain(`Page ${page} of ${first.pages}`);
    }
    // Long values wrap (cut where they must) and nothing runs off the page or into the footer.
    expect(text).toContain('averyveryverylongvaluewithoutanyspace');
    const boxes = wordBoxes(file);
    expect(boxes.every((b) => b.xMax <= b.pageWidth - 49 && b.yMax <= b.pageHeight - 40)).toBe(true);
  });
});
