import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers';

// Tables with one writer: every INSERT, UPDATE, DELETE or REPLACE of them is in their owner
// module, which the others call by a name that says what the write does. A write anywhere else
// fails here, naming the file. The migrations (store/migrations/) build the tables and are exempt.

const OWNERS: Record<string, string> = {
  registrants: 'electron/core/store/registrants.ts',
  requests: 'electron/core/requests/register.ts',
  request_events: 'electron/core/requests/register.ts',
  request_addresses: 'electron/core/requests/addresses.ts',
  request_suggestions: 'electron/core/requests/addresses.ts',
};

const MIGRATIONS = 'electron/core/store/migrations/';

function sources(dir: string): string[] {
  return fs.readdirSync(path.join(REPO_ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const file = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return sources(file);
    return /\.(ts|mts|cts|js|mjs)$/.test(entry.name) ? [file] : [];
  });
}

/** The tables a source writes with a plain SQL statement (INSERT [OR ...] INTO, UPDATE [OR ...], DELETE FROM, REPLACE INTO). */
function writtenTables(source: string): Set<string> {
  const writes = /\b(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM|REPLACE\s+INTO)\s+["`]?(\w+)\b/gi;
  return new Set([...source.matchAll(writes)].map((m) => m[1]!.toLowerCase()));
}

describe('table owners', () => {
  const files = sources('electron').filter((file) => !file.startsWith(MIGRATIONS));
  const writers = (table: string) => files.filter((file) => writtenTables(fs.readFileSync(path.join(REPO_ROOT, file), 'utf8')).has(table));

  for (const [table, owner] of Object.entries(OWNERS)) {
    it(`only ${owner} writes ${table}`, () => {
      const others = writers(table).filter((file) => file !== owner);
      expect(others, `${table} is written outside its owner ${owner}: move the write there and call it by name`).toEqual([]);
      // The scan finds what it looks for: the owner's own writes.
      expect(writers(table)).toContain(owner);
    });
  }

  it('recognises every form of write, and not a table whose name only begins the same', () => {
    expect(writtenTables('db.prepare(`UPDATE registrants SET x = 1`)')).toEqual(new Set(['registrants']));
    expect(writtenTables('insert or ignore into request_events (a) values (1)')).toEqual(new Set(['request_events']));
    expect(writtenTables('DELETE FROM\n  registrants WHERE id = ?')).toEqual(new Set(['registrants']));
    expect(writtenTables('REPLACE INTO registrants VALUES (1)')).toEqual(new Set(['registrants']));
    expect(writtenTables('SELECT * FROM registrants; DELETE FROM registrants_search')).toEqual(new Set(['registrants_search']));
  });
});
