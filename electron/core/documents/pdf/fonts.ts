import fs from 'node:fs';
import path from 'node:path';
import * as fontkit from 'fontkit';

// The fonts every document embeds, shipped with the app as npm packages of Google's Noto fonts
// (SIL Open Font License): never a system font, never a download. Noto Sans covers Latin (German,
// Polish, …), Greek, Cyrillic and Devanagari; the others Arabic, Hebrew, Armenian, Georgian, Thai,
// Chinese with Japanese kana and kanji (SC), and Korean Hangul (KR). A character the first font
// lacks is set in the first of the others that has it.

export type Weight = 'regular' | 'bold';

interface FontFile {
  /** The name the PDF registers it under. */
  key: string;
  file: string;
}

const FAMILIES = [
  { name: 'NotoSans', pkg: '@expo-google-fonts/noto-sans' },
  { name: 'NotoSansArabic', pkg: '@expo-google-fonts/noto-sans-arabic' },
  { name: 'NotoSansHebrew', pkg: '@expo-google-fonts/noto-sans-hebrew' },
  { name: 'NotoSansArmenian', pkg: '@expo-google-fonts/noto-sans-armenian' },
  { name: 'NotoSansGeorgian', pkg: '@expo-google-fonts/noto-sans-georgian' },
  { name: 'NotoSansThai', pkg: '@expo-google-fonts/noto-sans-thai' },
  { name: 'NotoSansSC', pkg: '@expo-google-fonts/noto-sans-sc' },
  { name: 'NotoSansKR', pkg: '@expo-google-fonts/noto-sans-kr' },
] as const;

const WEIGHT_DIRS: Record<Weight, string> = { regular: '400Regular', bold: '700Bold' };

function fontFile(family: (typeof FAMILIES)[number], weight: Weight): FontFile {
  const dir = path.dirname(require.resolve(`${family.pkg}/package.json`));
  const base = `${family.name}_${WEIGHT_DIRS[weight]}`;
  return { key: `${family.name}-${weight}`, file: path.join(dir, WEIGHT_DIRS[weight], `${base}.ttf`) };
}

/** One font of the fallback chain: its file and its parsed tables, to ask which characters it has. */
export interface ChainFont extends FontFile {
  font: fontkit.Font;
  data: Buffer;
}

const chains = new Map<Weight, ChainFont[]>();

/** The fallback chain of a weight, read once per process (fontkit parses tables lazily). */
export function fontChain(weight: Weight): ChainFont[] {
  let chain = chains.get(weight);
  if (!chain) {
    chain = FAMILIES.map((family) => {
      const { key, file } = fontFile(family, weight);
      const data = fs.readFileSync(file);
      return { key, file, data, font: fontkit.create(data) as fontkit.Font };
    });
    chains.set(weight, chain);
  }
  return chain;
}

const coverage = new Map<string, number>();

/**
 * Index in the chain of the font that sets this code point. Marks, joiners and variation
 * selectors follow the character before them (`previous`), so a cluster is never split.
 */
export function fontIndexFor(weight: Weight, codePoint: number, previous: number): number {
  const chain = fontChain(weight);
  if (previous >= 0 && (isJoining(codePoint) || isSharedSpace(codePoint)) && chain[previous]!.font.hasGlyphForCodePoint(codePoint)) return previous;
  const cacheKey = `${weight}:${codePoint}`;
  const known = coverage.get(cacheKey);
  if (known !== undefined) return known;
  let index = chain.findIndex((f) => f.font.hasGlyphForCodePoint(codePoint));
  if (index < 0) index = 0; // no shipped font has it: Noto Sans' missing-glyph box, never a silent drop
  coverage.set(cacheKey, index);
  return index;
}

function isJoining(cp: number): boolean {
  return (cp >= 0x300 && cp <= 0x36f) || cp === 0x200c || cp === 0x200d || (cp >= 0xfe00 && cp <= 0xfe0f) || /\p{M}/u.test(String.fromCodePoint(cp));
}

/** Spaces and punctuation stay in the script run they sit in, so a name in Arabic keeps its words together. */
function isSharedSpace(cp: number): boolean {
  return cp === 0x20 || cp === 0xa0 || cp === 0x2d || cp === 0x2e || cp === 0x2c;
}
