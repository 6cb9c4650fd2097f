import PDFDocument from 'pdfkit';
import bidiFactory from 'bidi-js';
import LineBreaker from 'linebreak';
import { fontChain, fontIndexFor, type Weight } from './fonts';

// The one typesetter every document uses: A4 pages with our own cursor, text in any script (each
// character in the first shipped font that has it, right-to-left runs reordered by the Unicode
// bidi algorithm and shaped by fontkit), lines wrapped at Unicode break opportunities (a word too
// long for its column is cut), tables whose header repeats on every page they span, and a footer
// with the page number, the generation time and the app version. Same input, same bytes.

const bidi = bidiFactory();
const RTL = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]/;
const PLAIN = /^[\x20-\x7e]*$/;

const PAGE = { width: 595.28, height: 841.89, margin: 50, footer: 36 };
const CONTENT_WIDTH = PAGE.width - 2 * PAGE.margin;
const BOTTOM = PAGE.height - PAGE.margin - PAGE.footer;

export interface Style {
  size?: number;
  weight?: Weight;
  color?: string;
}

export interface Column {
  header: string;
  /** Share of the table's width. */
  width: number;
  align?: 'left' | 'right';
}

export interface DocumentMeta {
  title: string;
  /** Printed in the footer of every page, with the page number. */
  footer: string;
  generatedAt: Date;
  lang: 'en' | 'de';
  /** "Page 3 of 7" in the document's language. */
  pageLabel: (page: number, pages: number) => string;
  /** A draft (the organisation's settings are incomplete): every page says so at its top. */
  draft?: boolean;
}

const DRAFT_MARK = { en: 'DRAFT: not to be sent as it is', de: 'ENTWURF (DRAFT): nicht so versenden' } as const;

interface Run {
  text: string;
  font: number;
  level: number;
}

export class PdfWriter {
  readonly doc: PDFKit.PDFDocument;
  private y = PAGE.margin;
  private readonly widths = new Map<string, number>();
  /** Advance of one printable ASCII character at size 1, per weight. */
  private readonly advances = new Map<string, number>();

  constructor(private readonly meta: DocumentMeta) {
    this.doc = new PDFDocument({
      size: 'A4',
      margins: { top: 0, bottom: 0, left: 0, right: 0 },
      bufferPages: true,
      lang: meta.lang,
      displayTitle: true,
      info: { Title: meta.title, Author: 'DSR Desk', Creator: 'DSR Desk', Producer: 'DSR Desk', CreationDate: meta.generatedAt, ModDate: meta.generatedAt },
    });
    for (const weight of ['regular', 'bold'] as const) for (const f of fontChain(weight)) this.doc.registerFont(f.key, f.data);
  }

  get remaining(): number {
    return BOTTOM - this.y;
  }

  newPage(): void {
    this.doc.addPage();
    this.y = PAGE.margin;
  }

  /** Starts a new page unless `height` still fits on this one (keeps a heading with what follows). */
  keep(height: number): void {
    if (this.y + height > BOTTOM) this.newPage();
  }

  space(points: number): void {
    this.y = Math.min(this.y + points, BOTTOM);
  }

  title(text: string): void {
    this.paragraph(text, { size: 17, weight: 'bold' });
    this.space(4);
  }

  heading(text: string): void {
    this.space(10);
    this.keep(70);
    this.paragraph(text, { size: 12.5, weight: 'bold', color: '#1d3557' });
    this.rule();
    this.space(3);
  }

  rule(): void {
    this.doc
      .save()
      .moveTo(PAGE.margin, this.y)
      .lineTo(PAGE.width - PAGE.margin, this.y)
      .lineWidth(0.5)
      .strokeColor('#8a95a5')
      .stroke()
      .restore();
    this.space(2);
  }

  /** The height paragraph() would take for this text (to keep it with what follows). */
  paragraphHeight(text: string, style: Style = {}, indent = 0): number {
    const size = style.size ?? 9.5;
    return this.wrap(text, CONTENT_WIDTH - indent, style).length * size * 1.35 + size * 0.35;
  }

  /** Wrapped text across the page width; a paragraph longer than the page continues on the next. */
  paragraph(text: string, style: Style = {}, indent = 0): void {
    const size = style.size ?? 9.5;
    const lineHeight = size * 1.35;
    for (const line of this.wrap(text, CONTENT_WIDTH - indent, style)) {
      this.keep(lineHeight);
      this.drawLine(line, PAGE.margin + indent, this.y, style, CONTENT_WIDTH - indent, 'left');
      this.y += lineHeight;
    }
    this.y += size * 0.35;
  }

  /** Label and value pairs, the label in bold; values wrap beside their label. */
  fields(pairs: [string, string][], labelShare = 0.3): void {
    this.table(
      [
        { header: '', width: labelShare },
        { header: '', width: 1 - labelShare },
      ],
      pairs,
      { header: false, boldFirst: true, zebra: false },
    );
  }

  /**
   * A table: every cell wraps within its column; the header row repeats at the top of every page
   * the table spans; a row taller than a page continues on the next.
   */
  table(columns: Column[], rows: string[][], options: { header?: boolean; boldFirst?: boolean; zebra?: boolean; size?: number; onProgress?: (rowsDone: number) => void } = {}): void {
    const size = options.size ?? 8.5;
    const lineHeight = size * 1.3;
    const pad = 3;
    const total = columns.reduce((sum, c) => sum + c.width, 0);
    const widths = columns.map((c) => (c.width / total) * CONTENT_WIDTH);
    const xs = widths.map((_, i) => PAGE.margin + widths.slice(0, i).reduce((a, b) => a + b, 0));
    const showHeader = options.header !== false;
    const headerStyle: Style = { size, weight: 'bold' };
    const headerLines = columns.map((c, i) => this.wrap(c.header, widths[i]! - 2 * pad, headerStyle));
    const headerHeight = Math.max(...headerLines.map((l) => l.length)) * lineHeight + 2 * pad;

    const drawHeader = () => {
      if (!showHeader) return;
      this.doc.save().rect(PAGE.margin, this.y, CONTENT_WIDTH, headerHeight).fill('#e3e8ef').restore();
      headerLines.forEach((lines, i) => lines.forEach((line, n) => this.drawLine(line, xs[i]! + pad, this.y + pad + n * lineHeight, headerStyle, widths[i]! - 2 * pad, columns[i]!.align ?? 'left')));
      this.y += headerHeight;
    };

    this.keep((showHeader ? headerHeight : 0) + lineHeight + 2 * pad);
    drawHeader();
    rows.forEach((row, r) => {
      const cells = row.map((cell, i) => this.wrap(cell, widths[i]! - 2 * pad, { size, weight: options.boldFirst && i === 0 ? 'bold' : 'regular' }));
      let from = 0;
      const tallest = Math.max(1, ...cells.map((c) => c.length));
      while (from < tallest) {
        if (this.y + lineHeight + 2 * pad > BOTTOM) {
          this.newPage();
          drawHeader();
        }
        const fit = Math.max(1, Math.floor((BOTTOM - this.y - 2 * pad) / lineHeight));
        const to = Math.min(tallest, from + fit);
        const height = (to - from) * lineHeight + 2 * pad;
        if (options.zebra !== false && r % 2 === 1) this.doc.save().rect(PAGE.margin, this.y, CONTENT_WIDTH, height).fill('#f5f7fa').restore();
        cells.forEach((lines, i) =>
          lines
            .slice(from, to)
            .forEach((line, n) =>
              this.drawLine(line, xs[i]! + pad, this.y + pad + n * lineHeight, { size, weight: options.boldFirst && i === 0 ? 'bold' : 'regular' }, widths[i]! - 2 * pad, columns[i]!.align ?? 'left'),
            ),
        );
        this.y += height;
        from = to;
      }
      this.doc
        .save()
        .moveTo(PAGE.margin, this.y)
        .lineTo(PAGE.width - PAGE.margin, this.y)
        .lineWidth(0.25)
        .strokeColor('#c9d1dc')
        .stroke()
        .restore();
      if (options.onProgress && ((r + 1) % 500 === 0 || r + 1 === rows.length)) options.onProgress(r + 1);
    });
    this.y += 6;
  }

  /** Adds the footers and returns the PDF's bytes and page count. */
  async finish(): Promise<{ bytes: Buffer; pages: number }> {
    const range = this.doc.bufferedPageRange();
    const style: Style = { size: 7.5, color: '#555f6d' };
    for (let i = 0; i < range.count; i++) {
      this.doc.switchToPage(range.start + i);
      const y = PAGE.height - PAGE.margin - 10;
      this.doc
        .save()
        .moveTo(PAGE.margin, y - 4)
        .lineTo(PAGE.width - PAGE.margin, y - 4)
        .lineWidth(0.25)
        .strokeColor('#c9d1dc')
        .stroke()
        .restore();
      const label = this.meta.pageLabel(i + 1, range.count);
      const labelWidth = this.width(label, style);
      const left = this.wrap(this.meta.footer, CONTENT_WIDTH - labelWidth - 12, style)[0] ?? '';
      this.drawLine(left, PAGE.margin, y, style, CONTENT_WIDTH - labelWidth - 12, 'left');
      this.drawLine(label, PAGE.width - PAGE.margin - labelWidth, y, style, labelWidth, 'left');
      if (this.meta.draft) this.drawLine(DRAFT_MARK[this.meta.lang], PAGE.margin, PAGE.margin / 2, { size: 11, weight: 'bold', color: '#b00020' }, CONTENT_WIDTH, 'left');
    }
    const chunks: Buffer[] = [];
    this.doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    const ended = new Promise<void>((resolve, reject) => {
      this.doc.on('end', resolve);
      this.doc.on('error', reject);
    });
    this.doc.end();
    await ended;
    return { bytes: Buffer.concat(chunks), pages: range.count };
  }

  // ---- text ------------------------------------------------------------------------------------

  /**
   * The lines `text` breaks into within `width` (a newline always breaks). Widths are added up per
   * segment between break opportunities (and per character where a word must be cut), each
   * measured once, so a long table costs time in proportion to its text.
   */
  wrap(raw: string, width: number, style: Style): string[] {
    const text = clean(raw);
    if (!text.includes('\n') && this.width(text, style) <= width) return [text];
    const lines: string[] = [];
    let line = '';
    let lineWidth = 0;
    const push = () => {
      lines.push(line.trimEnd());
      line = '';
      lineWidth = 0;
    };
    const breaker = new LineBreaker(text);
    let last = 0;
    for (let bk = breaker.nextBreak(); bk; bk = breaker.nextBreak()) {
      const segment = text.slice(last, bk.position);
      last = bk.position;
      const body = segment.replace(/\n$/, '');
      const inked = this.width(body.trimEnd(), style);
      if (line !== '' && lineWidth + inked > width) push();
      if (inked > width) {
        // Longer than the column (an ID, a hash, an address): cut it where it must be.
        for (const ch of Array.from(body)) {
          const w = this.width(ch, style);
          if (line !== '' && lineWidth + w > width) push();
          line += ch;
          lineWidth += w;
        }
      } else {
        line += body;
        lineWidth += this.width(body, style);
      }
      if (bk.required && segment.endsWith('\n')) push();
    }
    if (line !== '' || lines.length === 0) push();
    return lines;
  }

  /**
   * The width of `text` in `style`. Text of printable ASCII alone (IDs, dates, hashes: most of a
   * table) is measured as the sum of its characters' advances, each measured once, without
   * shaping; anything else through fontkit, run by run.
   */
  width(text: string, style: Style): number {
    const size = style.size ?? 9.5;
    const weight = style.weight ?? 'regular';
    if (PLAIN.test(text)) {
      let width = 0;
      for (let i = 0; i < text.length; i++) width += this.advance(text[i]!, weight, size);
      return width;
    }
    const key = `${weight}:${size}:${text}`;
    let width = this.widths.get(key);
    if (width === undefined) {
      width = 0;
      for (const run of this.runs(text, weight)) width += this.runWidth(run, style);
      if (this.widths.size > 50_000) this.widths.clear();
      this.widths.set(key, width);
    }
    return width;
  }

  private advance(ch: string, weight: Weight, size: number): number {
    const key = `${weight}:${ch}`;
    let unit = this.advances.get(key);
    if (unit === undefined) {
      unit = this.doc.font(fontChain(weight)[0]!.key).fontSize(1).widthOfString(ch);
      this.advances.set(key, unit);
    }
    return unit * size;
  }

  private runWidth(run: Run, style: Style): number {
    return this.doc
      .font(fontChain(style.weight ?? 'regular')[run.font]!.key)
      .fontSize(style.size ?? 9.5)
      .widthOfString(run.text);
  }

  /** One line, its runs in visual order (right-to-left runs reordered, each shaped by fontkit). */
  private drawLine(text: string, x: number, y: number, style: Style, width: number, align: 'left' | 'right'): void {
    const weight = style.weight ?? 'regular';
    const size = style.size ?? 9.5;
    if (text === '') return;
    const runs = visualOrder(this.runs(text, weight));
    // A left-aligned line of one run (most cells) needs no measuring.
    const widths = runs.length === 1 && align === 'left' ? [0] : runs.map((run) => (PLAIN.test(run.text) ? this.width(run.text, style) : this.runWidth(run, style)));
    let cursor = align === 'right' ? x + width - widths.reduce((a, b) => a + b, 0) : x;
    this.doc.fillColor(style.color ?? '#111111');
    runs.forEach((run, i) => {
      this.doc
        .font(fontChain(weight)[run.font]!.key)
        .fontSize(size)
        .text(run.text, cursor, y + size, { lineBreak: false, baseline: 'alphabetic' });
      cursor += widths[i]!;
    });
  }

  /** Splits text where the font or the bidi level changes (levels only when there is right-to-left text). */
  private runs(text: string, weight: Weight): Run[] {
    const levels = RTL.test(text) ? bidi.getEmbeddingLevels(text, 'ltr').levels : null;
    const runs: Run[] = [];
    let previous = -1;
    let offset = 0;
    let lastSpace = false;
    for (const ch of text) {
      const font = fontIndexFor(weight, ch.codePointAt(0)!, previous);
      const level = levels ? levels[offset]! : 0;
      const space = ch === ' ';
      const last = runs[runs.length - 1];
      // pdfkit lays out word by word in logical order, so a right-to-left run is cut at its
      // spaces and its words are put in visual order here (fontkit still shapes each word).
      const cut = level % 2 === 1 && space !== lastSpace;
      if (last && last.font === font && last.level === level && !cut) last.text += ch;
      else runs.push({ text: ch, font, level });
      previous = font;
      lastSpace = space;
      offset += ch.length;
    }
    return runs;
  }
}

/** Rule L2 of the bidi algorithm on runs: from the highest level down to 1, reverse every sequence at that level or above. */
function visualOrder(runs: Run[]): Run[] {
  const highest = Math.max(0, ...runs.map((r) => r.level));
  const out = [...runs];
  for (let level = highest; level >= 1; level--) {
    for (let i = 0; i < out.length; i++) {
      if (out[i]!.level < level) continue;
      let j = i;
      while (j + 1 < out.length && out[j + 1]!.level >= level) j++;
      out.splice(i, j - i + 1, ...out.slice(i, j + 1).reverse());
      i = j;
    }
  }
  return out;
}

/** Tabs and other control characters become spaces; line ends become one newline. */
function clean(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0009\u000b-\u001f\u007f]/g, ' ');
}
