import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { REPO_ROOT } from '../helpers';

/** The text of a PDF as poppler's pdftotext extracts it (reading order, not layout). */
export function pdfText(file: string, options: { layout?: boolean; page?: number } = {}): string {
  const args = [...(options.layout ? ['-layout'] : []), ...(options.page ? ['-f', String(options.page), '-l', String(options.page)] : []), file, '-'];
  const result = spawnSync('pdftotext', args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`pdftotext failed: ${result.stderr}`);
  return result.stdout;
}

/** Words collapsed to single spaces, so a check doesn't depend on where a line wrapped. */
export function flat(text: string): string {
  return text.replace(/\s+/g, ' ');
}

/** The fonts of a PDF as pdffonts lists them: name, whether embedded. */
export function pdfFonts(file: string): { name: string; embedded: boolean }[] {
  const result = spawnSync('pdffonts', [file], { encoding: 'utf8' });
  return result.stdout
    .split('\n')
    .slice(2)
    .filter(Boolean)
    .map((line) => {
      const cols = line.trim().split(/\s+/);
      return { name: cols[0]!, embedded: cols[cols.length - 5] === 'yes' };
    });
}

/** Every word's box on every page (pdftotext -bbox), to check nothing runs off the page. */
export function wordBoxes(file: string): { page: number; xMax: number; pageWidth: number; yMax: number; pageHeight: number }[] {
  const html = spawnSync('pdftotext', ['-bbox', file, '-'], { encoding: 'utf8' }).stdout;
  const boxes: { page: number; xMax: number; pageWidth: number; yMax: number; pageHeight: number }[] = [];
  let page = 0;
  let width = 0;
  let height = 0;
  for (const line of html.split('\n')) {
    const p = /<page width="([\d.]+)" height="([\d.]+)"/.exec(line);
    if (p) {
      page++;
      width = Number(p[1]);
      height = Number(p[2]);
    }
    const w = /<word xMin="[\d.]+" yMin="[\d.]+" xMax="([\d.]+)" yMax="([\d.]+)"/.exec(line);
    if (w) boxes.push({ page, xMax: Number(w[1]), yMax: Number(w[2]), pageWidth: width, pageHeight: height });
  }
  return boxes;
}

/** A real JSON Schema validator (ajv) over the schema the app ships. */
export function validateWithShippedSchema(data: unknown): string[] {
  const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
  const validate = ajv.compile(JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'shared', 'subject-data.schema.json'), 'utf8')));
  return validate(data) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}
