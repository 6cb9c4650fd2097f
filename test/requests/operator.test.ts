import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliAsync } from '../helpers';
import { connectedCore, dataDirOf } from '../sync/sync-helpers';
import { sandbox } from '../zoom/sandbox-helpers';
import { SUBJECT } from '../jobs/job-helpers';

// Art 5(2): a person's name on every act. `--by` names them; without it the settings' operator
// stands in; without either, the act is refused and nothing is written.

interface Detail {
  timeline: { by: string; action: string }[];
}
interface AuditEntry {
  actor: string;
  action: string;
  request_id: string | null;
}

describe('a name on every act', () => {
  it('refuses an act with no operator (OPERATOR_MISSING, nothing written); --by and then the settings name it in the timeline, the audit log and the evidence', async () => {
    const box = await sandbox({ seed: 'demo' });
    const core = await connectedCore(box);
    const dataDir = dataDirOf(core);
    await core.service.updateSettings({ operator: null });
    await core.close();
    const cli = (...args: string[]) => runCliAsync(['--json', '--data-dir', dataDir, ...args]);
    try {
      const entriesBefore = ((await cli('audit', 'verify')).json as { entries: number }).entries;
      const missing = await cli('request', 'create', '--type', 'erasure', '--email', SUBJECT);
      expect(missing.code).toBe(1);
      expect(missing.json).toMatchObject({ error: { code: 'OPERATOR_MISSING', message: expect.stringContaining('--operator') } });
      expect((await cli('request', 'list')).json).toEqual({ requests: [] });
      expect(((await cli('audit', 'verify')).json as { entries: number }).entries).toBe(entriesBefore);

      const filed = await cli('request', 'create', '--type', 'erasure', '--email', SUBJECT, '--by', 'Fiona Filer');
      const { id } = filed.json as { id: string };
      expect((await cli('request', 'verify-identity', id, '--method', 'a code sent to the registered address')).json).toMatchObject({ error: { code: 'OPERATOR_MISSING' } });
      expect((await cli('request', 'show', id)).json).toMatchObject({ status: 'received' });

      expect((await cli('settings', 'set', '--operator', 'Olga Operator')).json).toMatchObject({ operator: 'Olga Operator' });
      await cli('request', 'verify-identity', id, '--method', 'a code sent to the registered address');
      await cli('request', 'approve', id, '--by', 'Rui Reviewer');
      expect((await cli('job', 'run', id, '--by', 'Jonas Runner')).json).toMatchObject({ status: 'completed' });
      const evidenceFile = path.join(dataDir, 'evidence.pdf');
      await cli('evidence', id, '--out', evidenceFile, '--by', 'Edda Evidence');

      const detail = (await cli('request', 'show', id)).json as Detail;
      const who = (action: string) => detail.timeline.filter((e) => e.action === action).map((e) => e.by);
      expect(who('filed')).toEqual(['Fiona Filer']);
      expect(who('verify_identity')).toEqual(['Olga Operator']);
      expect(who('approve')).toEqual(['Rui Reviewer']);
      expect(who('start_job')).toEqual(['Jonas Runner']);
      expect(who('finish_job')).toEqual(['Jonas Runner']);
      expect(who('document_written')).toEqual(['Edda Evidence']);

      const auditFile = path.join(dataDir, 'audit.jsonl');
      await cli('audit', 'export', '--out', auditFile);
      const audit = (
        fs
          .readFileSync(auditFile, 'utf8')
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line)) as AuditEntry[]
      ).filter((e) => e.request_id === id);
      const actorsOf = (action: string) => [...new Set(audit.filter((e) => e.action === action).map((e) => e.actor))];
      expect(actorsOf('request.received')).toEqual(['Fiona Filer']);
      expect(actorsOf('request.verify_identity')).toEqual(['Olga Operator']);
      for (const action of ['job.planned', 'job.anonymize_local', 'job.cancel', 'job.delete', 'job.verify', 'request.finish_job']) expect(actorsOf(action), action).toEqual(['Jonas Runner']);
      expect(actorsOf('document.evidence')).toEqual(['Edda Evidence']);
      expect(audit.some((e) => e.actor === 'job' || e.actor === 'documents')).toBe(false);

      // The evidence names the people: the timeline's "Who" and each call's actor.
      const text = execFileSync('pdftotext', ['-layout', evidenceFile, '-'], { encoding: 'utf8' });
      for (const name of ['Fiona Filer', 'Olga Operator', 'Rui Reviewer', 'Jonas Runner']) expect(text, name).toContain(name);
    } finally {
      await box.close();
    }
  });

  it('refuses a name or a note with a control character at the command line and over HTTP, and writes nothing', async () => {
    const box = await sandbox({ seed: 'demo' });
    const core = await connectedCore(box);
    const dataDir = dataDirOf(core);
    await core.service.updateSettings({ operator: null });
    try {
      const forged = 'Tess\x1b[31m Tester\nSecond line';
      const byCli = await runCliAsync(['--json', '--data-dir', dataDir, 'settings', 'set', '--operator', forged]);
      // The core is still open in this process: the CLI writes through its own connection.
      expect(byCli.code).toBe(2);
      expect(byCli.json).toMatchObject({ error: { code: 'INVALID_INPUT', message: expect.stringContaining('control characters') } });
      expect(byCli.stdout).not.toContain('\x1b');
      const filed = await core.dispatch('createRequest', { type: 'access', email: SUBJECT, by: forged });
      expect(filed).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
      const noted = await core.dispatch('createRequest', { type: 'access', email: SUBJECT, by: 'Dana DPO', note: 'ticket #4711\r\nforged: approved' });
      expect(noted).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
      expect(await core.service.listRequests({})).toEqual({ requests: [] });
      expect((await core.service.getSettings({})).operator).toBeNull();
    } finally {
      await core.close();
      await box.close();
    }
  });
});
