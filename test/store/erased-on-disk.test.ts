import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEMO_SUBJECT } from '../../electron/core/sandbox/seed';
import { openCore } from '../../electron/core/service';
import { approvedRequest, seedSubject, SUBJECT } from '../jobs/job-helpers';
import { call, connectedCore, dataDirOf } from '../sync/sync-helpers';
import { sandbox } from '../zoom/sandbox-helpers';
import { pagesHolding } from './pages';

const PAST = 81_234_567_892;
const TRACES = [SUBJECT, 'Mustermann'];

describe('erased means erased on disk', () => {
  it("after an erasure no page of the database or its WAL, read with the key, holds the address or the name, guests and others' Q&A included", async () => {
    const box = await sandbox({ seed: 'demo' });
    await seedSubject(box);
    // A guest attendance row without an address that Zoom links to the subject's registration, and
    // someone else's question the subject answered, naming them in the text.
    const past = box.account().webinars.get(PAST)!;
    const registration = [...past.registrants.values()].find((r) => r.email === SUBJECT)!;
    past.participants.push({
      id: 'guest1',
      name: 'E. Mustermann (dial-in)',
      user_email: '',
      join_time: past.event.start_time!,
      leave_time: past.event.start_time!,
      duration: 60,
      registrant_id: registration.id,
    });
    past.qa.push({
      name: 'Olga Other',
      email: 'olga.other@example.org',
      question_details: [
        {
          question: 'Erika Mustermann, will you share the slides?',
          question_id: 'q-olga',
          answer_details: [{ name: `${DEMO_SUBJECT.first_name} ${DEMO_SUBJECT.last_name}`, email: SUBJECT, content: `Yes: ask me at ${SUBJECT}`, type: 'text', create_time: past.event.start_time! }],
        },
      ],
    });

    const core = await connectedCore(box);
    const dataDir = dataDirOf(core);
    const key = (await core.secrets.getDatabaseKey())!;
    try {
      const id = await approvedRequest(core);
      await call(core, 'syncZoom', {});
      // The scanner finds the subject before: it reads what is on disk.
      expect(pagesHolding(core.store.path, key, TRACES).length).toBeGreaterThan(0);

      const result = await call(core, 'runJob', { id });
      expect(result.status).toBe('completed');
      // While the app stays open (as the window would), after the erasure.
      expect(pagesHolding(core.store.path, key, TRACES)).toEqual([]);

      const db = core.store.db;
      // The subject's own attendance row and the guest's: both kept only as Zoom's keys.
      expect(db.prepare('SELECT participant_id, name, email, suppressed FROM participants WHERE event_id = ? AND registrant_id = ?').all(String(PAST), registration.id)).toEqual(
        Array(2).fill({ participant_id: null, name: null, email: null, suppressed: 1 }),
      );
      const olga = db.prepare(`SELECT name, question, answers, suppressed FROM qa_questions WHERE question_id = 'q-olga'`).get() as {
        name: string;
        question: string;
        answers: string;
        suppressed: number;
      };
      expect(olga).toMatchObject({ name: 'Olga Other', suppressed: 0, question: '[erased], will you share the slides?' });
      expect(JSON.parse(olga.answers)).toEqual([expect.objectContaining({ name: null, email: null, content: 'Yes: ask me at [erased]' })]);
      // A full sync reads Olga's question again: the subject's answer stays without who gave it.
      await call(core, 'syncZoom', { full: true });
      expect(JSON.parse(db.prepare(`SELECT answers FROM qa_questions WHERE question_id = 'q-olga'`).pluck().get() as string)).toEqual([expect.objectContaining({ name: null, email: null })]);
    } finally {
      await core.close();
    }
    // And once closed: the WAL is folded in and gone, the database file alone holds nothing.
    expect(fs.existsSync(`${dataDir}/dsr-desk.db-wal`) ? fs.statSync(`${dataDir}/dsr-desk.db-wal`).size : 0).toBe(0);
    expect(pagesHolding(`${dataDir}/dsr-desk.db`, key, TRACES)).toEqual([]);
    // The register still reaches the address for the reply, sealed: no page shows it in the clear.
    const reopened = await openCore({ dataDir });
    try {
      const [request] = (await call(reopened, 'listRequests', {})).requests;
      expect(await call(reopened, 'getRequest', { id: request!.id })).toMatchObject({ subject_email: SUBJECT, subject_masked: 'e***@example.com' });
    } finally {
      await reopened.close();
    }
  });
});
