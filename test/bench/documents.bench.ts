import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuditLog } from '../../electron/core/audit';
import { openCore, type Core } from '../../electron/core/service';
import { call } from '../sync/sync-helpers';
import { tempDataDir } from '../helpers';

// `npm run bench`: how long the documents take on big requests (issue 10). The register, the
// journal and the mirror are filled with SQL here (a sync of 500 webinars would measure the sync,
// not the documents); every figure printed is measured, best of three runs.

const GOALS = { evidence: 2_000, access: 3_000, report: 5_000 };
const SUBJECT = 'erika.mustermann@example.com';

async function bestOf(runs: number, body: (i: number) => Promise<void>): Promise<number> {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await body(i);
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

function verdict(label: string, ms: number, goal: number, extra = ''): void {
  console.log(`${label}: ${ms.toFixed(0)} ms (goal < ${goal} ms: ${ms < goal ? 'met' : 'NOT met'})${extra}`);
}

/** Webinars and a completed account sync, so the mirror and the plan have something to point at. */
function seedWebinars(core: Core, count: number): string[] {
  const db = core.store.db;
  const at = new Date().toISOString();
  db.prepare(`INSERT INTO sync_runs (id, mode, status, started_at, finished_at) VALUES (1, 'full', 'completed', ?, ?)`).run(at, at);
  const insert = db.prepare('INSERT INTO events (id, topic, start_time, first_seen_at) VALUES (?, ?, ?, ?)');
  const ids = Array.from({ length: count }, (_, i) => String(85_000_000_000 + i));
  db.transaction(() => ids.forEach((id, i) => insert.run(id, `Webinar ${i}: Datenschutz für Einsteiger — Ζήτημα ${i}`, at, at)))();
  return ids;
}

describe('documents on big requests', () => {
  it('evidence PDF of an erasure touching 500 records', async () => {
    const core = await openCore({ dataDir: tempDataDir() });
    try {
      const webinars = seedWebinars(core, 500);
      const { id } = await call(core, 'createRequest', { type: 'erasure', email: SUBJECT, by: 'Dana DPO' });
      await call(core, 'verifyIdentity', { id, method: 'answered from the registered address', by: 'Dana DPO' });
      await call(core, 'approveRequest', { id, by: 'Rui Reviewer' });
      const db = core.store.db;
      const audit = new AuditLog(db, () => new Date());
      const at = new Date().toISOString();
      // One registration in each of 500 webinars: anonymized, cancelled, deleted (one retried after a 500), verified gone.
      db.transaction(() => {
        db.prepare(`INSERT INTO job_runs (request_id, planned_at, notes, residual, planned_from_run, planned_from_at) VALUES (?, ?, '[]', ?, 1, ?)`).run(
          id,
          at,
          JSON.stringify(webinars.slice(0, 50).map((w) => ({ source: 'participant', webinar_id: w, records: 2 }))),
          at,
        );
        const action = db.prepare(
          `INSERT INTO job_actions (request_id, step, event_id, registrant_id, source, action, state, http_status, zoom_code, message, at) VALUES (?, ?, ?, ?, 'registrant', ?, 'done', ?, ?, ?, ?)`,
        );
        webinars.forEach((w, i) => {
          const registrant = `reg${String(i).padStart(6, '0')}AbCdEfGhIjKl`;
          action.run(id, i + 1, w, registrant, 'anonymize_local', null, null, null, at);
          for (const [name, status, code] of [
            ['cancel', 204, null],
            ['delete', 204, null],
            ['verify', 400, 3079],
          ] as const) {
            if (name === 'delete' && i % 25 === 0)
              audit.append({
                actor: 'job',
                action: 'job.delete',
                requestId: id,
                details: { webinar_id: w, registrant_id: registrant, occurrence_id: null, result: 'unknown', http_status: 500, zoom_code: null },
              });
            action.run(id, i + 1, w, registrant, name, status, code, name === 'verify' ? 'Gone: Zoom answers "registrant does not exist".' : null, at);
            audit.append({
              actor: 'job',
              action: `job.${name}`,
              requestId: id,
              details: { webinar_id: w, registrant_id: registrant, occurrence_id: null, result: 'done', http_status: status, zoom_code: code },
            });
          }
        });
      })();
      const out = path.join(tempDataDir(), 'evidence.pdf');
      let pages = 0;
      const ms = await bestOf(3, async () => {
        pages = (await call(core, 'writeEvidence', { id, out, force: true })).pages;
      });
      verdict('evidence PDF, 500 records (2,000 journal actions, 1,520+ audit entries)', ms, GOALS.evidence, `, ${pages} pages, ${(fs.statSync(out).size / 1024).toFixed(0)} KiB`);
      expect(pages).toBeGreaterThan(10);
    } finally {
      await core.close();
    }
  });

  it('access package of a subject with 1,000 records', async () => {
    const core = await openCore({ dataDir: tempDataDir() });
    try {
      const webinars = seedWebinars(core, 250);
      const db = core.store.db;
      const at = new Date().toISOString();
      db.transaction(() => {
        const registrant = db.prepare(
          `INSERT INTO registrants (event_id, registrant_id, email, email_norm, first_name, last_name, org, city, custom_questions, create_time, status, present, first_seen_at, last_seen_at, last_seen_run)
           VALUES (?, ?, ?, ?, 'Erika', 'Mustermann', 'Beispiel GmbH', 'Köln', ?, ?, 'approved', 1, ?, ?, 1)`,
        );
        const participant = db.prepare(
          `INSERT INTO participants (event_id, instance_uuid, ordinal, last_seen_run, name, email, email_norm, join_time, leave_time, duration) VALUES (?, 'u1', 0, 1, 'Erika Mustermann', ?, ?, ?, ?, 3600)`,
        );
        const qa = db.prepare(
          `INSERT INTO qa_questions (event_id, instance_uuid, ordinal, last_seen_run, name, email, email_norm, question, create_time, answers) VALUES (?, 'u1', 0, 1, 'Erika Mustermann', ?, ?, ?, ?, ?)`,
        );
        const poll = db.prepare(
          `INSERT INTO poll_answers (event_id, instance_uuid, ordinal, last_seen_run, name, email, email_norm, question, answer, date_time) VALUES (?, 'u1', 0, 1, 'Erika Mustermann', ?, ?, 'How useful was this?', 'Very useful', ?)`,
        );
        webinars.forEach((w, i) => {
          registrant.run(w, `reg${i}`, SUBJECT, SUBJECT, JSON.stringify([{ title: 'Wie haben Sie von uns erfahren?', value: 'Über einen Kollegen' }]), at, at, at);
          participant.run(w, SUBJECT, SUBJECT, at, at);
          qa.run(
            w,
            SUBJECT,
            SUBJECT,
            `Question ${i}: does the DPA cover recordings stored outside the EU, and for how long?`,
            at,
            JSON.stringify([{ content: 'Yes, see section 4 of the DPA.', name: 'Host', email: 'host@example.com' }]),
          );
          poll.run(w, SUBJECT, SUBJECT, at);
        });
      })();
      const { id } = await call(core, 'createRequest', { type: 'access', email: SUBJECT, by: 'Dana DPO' });
      const dir = tempDataDir();
      let records = 0;
      const ms = await bestOf(3, async (i) => {
        const pkg = await call(core, 'writeSubjectPackage', { id, out: path.join(dir, `run-${i}`) });
        const data = JSON.parse(fs.readFileSync(pkg.files.find((f) => f.path.endsWith('subject-data.json'))!.path, 'utf8')) as { counts: Record<string, number> };
        records = data.counts.registrations! + data.counts.attendance! + data.counts.qa! + data.counts.polls!;
      });
      verdict(`access package, ${records} records (JSON checked against the schema + PDF)`, ms, GOALS.access);
      expect(records).toBe(1000);
    } finally {
      await core.close();
    }
  });

  it('register report of 10,000 requests', async () => {
    const core = await openCore({ dataDir: tempDataDir() });
    try {
      const db = core.store.db;
      const types = ['access', 'erasure', 'restriction', 'objection', 'rectification', 'portability'];
      const statuses = ['completed', 'completed', 'completed', 'refused', 'received', 'partial'];
      db.transaction(() => {
        const insert = db.prepare(
          `INSERT INTO requests (id, type, subject_hash, channel, received_at, original_due_at, due_at, status, created_at, closed_at, extended_at)
           VALUES (?, ?, ?, 'email', ?, ?, ?, ?, ?, ?, ?)`,
        );
        for (let i = 0; i < 10_000; i++) {
          const received = new Date(Date.UTC(2026, 0, 1) + i * 3_000_000);
          const due = new Date(received.getTime() + 31 * 86_400_000);
          const status = statuses[i % statuses.length]!;
          const closed = status === 'completed' || status === 'refused' ? new Date(received.getTime() + ((i % 40) + 1) * 86_400_000).toISOString() : null;
          insert.run(
            `DSR-2026-${String(i + 1).padStart(5, '0')}`,
            types[i % types.length],
            `h${i}`,
            received.toISOString(),
            due.toISOString(),
            due.toISOString(),
            status,
            received.toISOString(),
            closed,
            i % 13 === 0 ? received.toISOString() : null,
          );
        }
      })();
      const dir = tempDataDir();
      for (const format of ['pdf', 'csv'] as const) {
        let result = { requests: 0, path: '' };
        const ms = await bestOf(3, async () => {
          result = await call(core, 'writeReport', { from: '2026-01-01', to: '2026-12-31', out: path.join(dir, `register.${format}`), force: true });
        });
        verdict(`register report, ${result.requests.toLocaleString('en')} requests, ${format.toUpperCase()}`, ms, GOALS.report, `, ${(fs.statSync(result.path).size / 1024).toFixed(0)} KiB`);
        expect(result.requests).toBe(10_000);
      }
    } finally {
      await core.close();
    }
  });
});
