import { DEFAULT_SETTINGS, Settings, type SettingsPatch } from '../../../shared/settings';
import type { Db } from '../store/database';

export function readSettings(db: Db): Settings {
  const rows = db.prepare('SELECT key, value FROM settings').all() as { key: string; value: string }[];
  const stored: Record<string, unknown> = {};
  for (const row of rows) stored[row.key] = JSON.parse(row.value);
  return Settings.parse({ ...DEFAULT_SETTINGS, ...stored });
}

export function updateSettings(db: Db, patch: SettingsPatch, now: Date): Settings {
  const upsert = db.prepare(`INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
                             ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`);
  db.transaction(() => {
    for (const [key, value] of Object.entries(patch)) upsert.run(key, JSON.stringify(value), now.toISOString());
  })();
  return readSettings(db);
}
