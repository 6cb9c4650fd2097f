import { describe, expect, it } from 'vitest';
import { migrate } from '../../../electron/core/store/migrations';
import { searchByPrefix } from '../../../electron/core/store/mirror-queries';
import { memoryDb, plan } from './helper';

describe('migrations 0050-0080: the jobs, an erasure that holds, the documents, the desk', () => {
  it("0080 indexes a webinar's registrants in registration order and the changes by run, so the window's pages and the overview use them (EXPLAIN QUERY PLAN)", () => {
    const db = memoryDb();
    migrate(db);
    expect(plan(db, `SELECT id FROM registrants WHERE event_id = '1' ORDER BY create_time, id LIMIT 100 OFFSET 5000`)).toContain('registrants_by_webinar_created');
    expect(plan(db, `SELECT id FROM registrants WHERE event_id = '1' ORDER BY create_time, id LIMIT 100`)).not.toContain('TEMP B-TREE');
    expect(plan(db, `SELECT kind, count(*) FROM registrant_changes WHERE run_id = 3 GROUP BY kind`)).toContain('registrant_changes_by_run');
    expect(plan(db, `SELECT sum(present AND status = 'approved'), sum(suppressed) FROM registrants WHERE event_id = '1'`)).toContain('COVERING INDEX registrants_by_webinar_state');
    // The search box: each of its three prefix ranges from an index.
    for (const webinar of ['1', undefined]) {
      const { sql, params } = searchByPrefix('Sv', webinar);
      const search = (db.prepare(`EXPLAIN QUERY PLAN SELECT count(*) FROM (${sql})`).all(...params) as { detail: string }[]).map((r) => r.detail).join(' | ');
      for (const index of ['registrants_by_email', 'registrants_by_first_name', 'registrants_by_last_name']) expect(search).toContain(`COVERING INDEX ${index}`);
    }
    expect(db.prepare("SELECT name FROM pragma_table_info('sync_runs')").pluck().all() as string[]).toContain('warnings');
  });
});
