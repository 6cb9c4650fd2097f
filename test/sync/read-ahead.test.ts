import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { readAhead } from '../../electron/core/sync/read-ahead';
import { clientFor, control, sandbox } from '../zoom/sandbox-helpers';

// Reading a paged list one page ahead (read-ahead.ts): the next page is asked for while the caller
// still works on the last, never more than one ahead, and the pages come in order.

/** A list of `count` pages, each answered after `answerMs`; says what it was asked for, when. */
function pagedList(count: number, answerMs: number, failAt?: number) {
  const log: string[] = [];
  let closed = false;
  async function* pages() {
    try {
      for (let n = 1; n <= count; n++) {
        log.push(`ask ${n}`);
        await sleep(answerMs);
        if (n === failAt) throw new Error(`page ${n} failed`);
        log.push(`got ${n}`);
        yield n;
      }
    } finally {
      closed = true;
    }
  }
  return { pages: pages(), log, closed: () => closed };
}

describe('readAhead', () => {
  it('asks for the next page as soon as one arrives, hands them out in order, one ahead at most', async () => {
    const list = pagedList(3, 5);
    const seen: number[] = [];
    for await (const page of readAhead(list.pages)) {
      list.log.push(`work ${page}`);
      await sleep(30);
      seen.push(page);
    }
    expect(seen).toEqual([1, 2, 3]);
    expect(list.log).toEqual(['ask 1', 'got 1', 'ask 2', 'work 1', 'got 2', 'ask 3', 'work 2', 'got 3', 'work 3']);
    expect(list.closed()).toBe(true);
  });

  it('a caller that stops early is not kept waiting for the page in flight, and the list is closed after it', async () => {
    const list = pagedList(5, 100);
    const started = performance.now();
    for await (const page of readAhead(list.pages)) if (page === 1) break;
    expect(performance.now() - started).toBeLessThan(190);
    expect(list.log).toEqual(['ask 1', 'got 1', 'ask 2']);
    await sleep(150);
    expect(list.log).toEqual(['ask 1', 'got 1', 'ask 2', 'got 2']);
    expect(list.closed()).toBe(true);
  });

  it('a page that fails reaches the caller after the pages before it', async () => {
    const list = pagedList(4, 5, 3);
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const page of readAhead(list.pages)) seen.push(page);
      })(),
    ).rejects.toThrow('page 3 failed');
    expect(seen).toEqual([1, 2]);
  });

  it("hides the caller's work behind Zoom's answer time: a registrant list from the sandbox, 150 ms a page", async () => {
    const box = await sandbox();
    const { id } = await control<{ id: number }>(box, 'POST', 'webinars', { registrants: { approved: 1500 } });
    await control(box, 'POST', 'latency', { page_ms: 150 });
    const client = clientFor(box);
    const timed = async (pages: AsyncIterable<{ items: unknown[] }>) => {
      const started = performance.now();
      let rows = 0;
      for await (const page of pages) {
        rows += page.items.length;
        await sleep(100); // the caller's own work on a page
      }
      return { rows, ms: performance.now() - started };
    };
    const inTurn = await timed(client.listRegistrants('webinar', id, 'approved'));
    const ahead = await timed(readAhead(client.listRegistrants('webinar', id, 'approved')));
    expect(inTurn.rows).toBe(1500);
    expect(ahead.rows).toBe(1500);
    // Five pages: in turn each costs 150 + 100 ms; read ahead 150 ms, the last page's work on top.
    expect(inTurn.ms).toBeGreaterThanOrEqual(5 * 250 - 20);
    expect(ahead.ms).toBeLessThan(5 * 150 + 100 + 150);
  });
});
