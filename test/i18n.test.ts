import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { de } from '../renderer/src/i18n/de';
import { en } from '../renderer/src/i18n/en';
import { CHANGE_KINDS } from '../shared/changes';
import { ERROR_CODES, ERROR_HINT_ACTIONS } from '../shared/errors';
import { JOB_ACTIONS, PROCESSOR_TASK_STATUSES } from '../shared/jobs';
import { LIVE_STATES, REGISTRANT_FILTERS } from '../shared/mirror';
import { CHANNELS, RECTIFIABLE_FIELDS, REFUSAL_ARTICLES, REQUEST_STATUSES, REQUEST_TYPES } from '../shared/requests';
import { REPO_ROOT } from './helpers';

// English and German complete: the same keys, no empty text, the same placeholders, and every key
// the renderer names (literally, or through one of the shared value lists) present in both.

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(name, value);
    else for (const [k, v] of flatten(value, name)) out.set(k, v);
  }
  return out;
}

const EN = flatten(en as unknown as Tree);
const DE = flatten(de as unknown as Tree);
const PLURAL = /_(one|other)$/;
const has = (dict: Map<string, string>, key: string) => dict.has(key) || dict.has(`${key}_other`);

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(entry.name) && !full.includes(`${path.sep}i18n${path.sep}`) ? [full] : [];
  });
}

describe("the window's languages", () => {
  it('English and German have the same keys, none empty, with the same placeholders', () => {
    expect([...DE.keys()].sort()).toEqual([...EN.keys()].sort());
    for (const [key, text] of EN) {
      expect(text.trim(), `en ${key}`).not.toBe('');
      expect(DE.get(key)!.trim(), `de ${key}`).not.toBe('');
      const placeholders = (s: string) => [...s.matchAll(/\{\{(\w+)/g)].map((m) => m[1]).sort();
      expect(placeholders(DE.get(key)!), `placeholders of ${key}`).toEqual(placeholders(text));
    }
    // Plurals come in pairs.
    for (const key of EN.keys()) if (PLURAL.test(key)) expect(EN.has(key.replace(PLURAL, '_one')) && EN.has(key.replace(PLURAL, '_other')), key).toBe(true);
  });

  it('every key the renderer names literally exists in both languages', () => {
    const files = sourceFiles(path.join(REPO_ROOT, 'renderer', 'src'));
    const keys = new Set<string>();
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      for (const match of text.matchAll(/\bt\('([a-zA-Z][\w.]*)'/g)) keys.add(match[1]!);
      for (const match of text.matchAll(/key: '([a-z]+\.[\w.]+)'/g)) keys.add(match[1]!);
    }
    expect(keys.size).toBeGreaterThan(250);
    const missing = [...keys].filter((key) => !has(EN, key) || !has(DE, key));
    expect(missing).toEqual([]);
  });

  it('every value a screen translates through a key built from it has its text in both languages', () => {
    const lists: [string, readonly string[]][] = [
      ['errors', ERROR_CODES],
      ['errorHint', ERROR_HINT_ACTIONS],
      ['status', REQUEST_STATUSES],
      ['type', REQUEST_TYPES],
      ['channel', CHANNELS],
      ['change', CHANGE_KINDS],
      ['action', JOB_ACTIONS],
      ['processor', PROCESSOR_TASK_STATUSES],
      ['refusal', REFUSAL_ARTICLES],
      ['field', RECTIFIABLE_FIELDS],
      ['registrantFilter', REGISTRANT_FILTERS],
      ['result', ['done', 'skipped', 'failed', 'pending', 'unknown']],
      ['syncStatus', ['running', 'completed', 'cancelled', 'failed', 'abandoned']],
      ['syncPhase', ['discovering', 'webinars', 'finishing']],
      ['registrantState', ['approved', 'pending', 'denied', 'gone', 'erased']],
      ['accountLive', [...LIVE_STATES, 'bySync']],
    ];
    const missing = lists.flatMap(([group, values]) => values.map((v) => `${group}.${v}`)).filter((key) => !has(EN, key) || !has(DE, key));
    expect(missing).toEqual([]);
    expect(DE.get('status.identity_verified')).toBe('Identität geprüft');
  });
});
