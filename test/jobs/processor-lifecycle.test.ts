import { describe, expect, it } from 'vitest';
import { runCliAsync } from '../helpers';
import { call, connectedCore, dataDirOf } from '../sync/sync-helpers';
import { sandbox } from '../zoom/sandbox-helpers';
import { approvedRequest } from './job-helpers';

// After the job: what Zoom keeps is put to it as processor (Art 28(3)(e)); until Zoom answers, the
// request is not completed but waiting_for_processor, and the register holds when it was sent, when
// the answer is due, what came back, and which replies went to the subject.

describe('the request after its job', () => {
  it("waits for Zoom: sent (answer due after the settings' days), answered erased closes both; replies and notes are kept", async () => {
    const box = await sandbox({ seed: 'demo' });
    const core = await connectedCore(box);
    const dataDir = dataDirOf(core);
    try {
      await call(core, 'updateSettings', { processor_reply_days: 21 });
      const id = await approvedRequest(core);
      const job = await call(core, 'runJob', { id, by: 'Jonas Runner' });
      expect(job.status).toBe('completed');
      expect(job.residual.length).toBeGreaterThan(0);
      let detail = await call(core, 'getRequest', { id });
      expect(detail).toMatchObject({ status: 'waiting_for_processor', closed_at: null, processor: { status: 'open', sent_at: null, due_at: null, outcome: null } });
      expect((await call(core, 'listRequests', { status: 'waiting_for_processor' })).requests.map((r) => r.id)).toEqual([id]);
      // A second run changes nothing: the job is done, only Zoom's answer is open.
      expect(await call(core, 'runJob', { id, by: 'Jonas Runner' })).toMatchObject({ already_completed: true, status: 'completed' });

      const cli = (...args: string[]) => runCliAsync(['--json', '--data-dir', dataDir, ...args]);
      const sentAt = new Date().toISOString();
      const noOutcome = await cli('job', 'processor-request', id, '--status', 'answered', '--by', 'Dana DPO');
      expect(noOutcome.json).toMatchObject({ error: { code: 'INVALID_INPUT', message: expect.stringContaining('--outcome') } });
      const sent = await cli('job', 'processor-request', id, '--status', 'sent', '--at', sentAt, '--by', 'Dana DPO', '--note', 'privacy@zoom.us, ticket Z-123');
      expect(sent.json).toMatchObject({ status: 'sent', sent_at: sentAt, due_at: new Date(Date.parse(sentAt) + 21 * 86_400_000).toISOString() });
      detail = await call(core, 'getRequest', { id });
      expect(detail.status).toBe('waiting_for_processor');
      const early = await cli('job', 'processor-request', id, '--status', 'answered', '--outcome', 'erased', '--at', new Date(Date.parse(sentAt) - 60_000).toISOString(), '--by', 'Dana DPO');
      expect(early.json).toMatchObject({ error: { code: 'INVALID_INPUT', message: expect.stringContaining('before the processor request was sent') } });

      const answered = await cli('job', 'processor-request', id, '--status', 'answered', '--outcome', 'erased', '--by', 'Dana DPO');
      expect(answered.json).toMatchObject({ status: 'closed', outcome: 'erased', answered_at: expect.any(String) });
      detail = await call(core, 'getRequest', { id });
      expect(detail).toMatchObject({ status: 'completed', closed_at: expect.any(String), processor: { status: 'closed', outcome: 'erased', sent_at: sentAt } });
      expect(detail.timeline.filter((e) => e.action.startsWith('processor')).map((e) => [e.action, e.by, e.to])).toEqual([
        ['processor_request_sent', 'Dana DPO', null],
        ['processor_request_answered', 'Dana DPO', null],
        ['processor_done', 'Dana DPO', 'completed'],
      ]);

      const replied = await cli('request', 'sent', id, '--document', 'letter', '--at', new Date().toISOString(), '--channel', 'email', '--by', 'Dana DPO');
      expect(replied.code).toBe(0);
      expect(await cli('request', 'note', id, '--text', 'ticket #4711', '--by', 'Dana DPO')).toMatchObject({ code: 0 });
      detail = await call(core, 'getRequest', { id });
      expect(detail.replies).toEqual([{ document: 'letter', sent_at: expect.any(String), channel: 'email', by: 'Dana DPO' }]);
      expect(detail.notes).toEqual([{ at: expect.any(String), by: 'Dana DPO', text: 'ticket #4711' }]);
      const future = await cli('request', 'sent', id, '--document', 'letter', '--at', new Date(Date.now() + 86_400_000).toISOString(), '--channel', 'email', '--by', 'Dana DPO');
      expect(future.json).toMatchObject({ error: { code: 'INVALID_INPUT' } });
    } finally {
      await core.close();
      await box.close();
    }
  });

  it('after a refusal from Zoom the request still waits, until the DPO closes the processor request', async () => {
    const box = await sandbox({ seed: 'demo' });
    const core = await connectedCore(box);
    try {
      const id = await approvedRequest(core);
      await call(core, 'runJob', { id, by: 'Jonas Runner' });
      await call(core, 'updateProcessorTask', { id, status: 'sent', by: 'Dana DPO' });
      await call(core, 'updateProcessorTask', { id, status: 'answered', outcome: 'refused', by: 'Dana DPO', note: 'Zoom says the reports are kept for billing' });
      expect(await call(core, 'getRequest', { id })).toMatchObject({ status: 'waiting_for_processor', processor: { status: 'answered', outcome: 'refused' } });
      await call(core, 'updateProcessorTask', { id, status: 'closed', by: 'Dana DPO', note: 'complaint filed with Zoom; subject told' });
      expect(await call(core, 'getRequest', { id })).toMatchObject({ status: 'completed', processor: { status: 'closed', outcome: 'refused' } });
    } finally {
      await core.close();
      await box.close();
    }
  });
});
