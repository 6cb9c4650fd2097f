import { describe, expect, it } from 'vitest';
import { PLAN_LIMITS } from '../../electron/core/zoom/limits';
import { clientFor, control, sandbox } from './sandbox-helpers';

// Measures how close the client runs to Zoom's Pro Medium limit (20 calls/s) without being
// refused. A measured figure, printed; the threshold is the acceptance bar.
describe('client pacing at Pro limits', () => {
  it('achieves >= 90% of the Medium limit over 220 calls with < 1% answered 429', async () => {
    const box = await sandbox({ plan: 'pro' });
    const { id } = await control<{ id: number }>(box, 'POST', 'webinars', { registrants: { approved: 5 } });
    const client = clientFor(box, { plan: 'pro' });
    await client.getMe(); // token first, so the measurement is of paced calls only
    const calls = 220;
    const workers = 4;
    let issued = 0;
    await Promise.all(
      Array.from({ length: workers }, async () => {
        while (issued < calls) {
          issued++;
          await client.listRegistrants('webinar', id, 'approved').next(); // Medium category
        }
      }),
    );
    const medium = box.requests().filter((r) => r.category === 'medium');
    const first = Date.parse(medium[0]!.at);
    const last = Date.parse(medium[medium.length - 1]!.at);
    const achieved = (medium.length - 1) / ((last - first) / 1000);
    const refused = medium.filter((r) => r.status === 429).length;
    const limit = PLAN_LIMITS.pro.perWindow.medium.requests;
    console.log(
      `pacing: ${medium.length} Medium calls in ${((last - first) / 1000).toFixed(2)} s = ${achieved.toFixed(2)} calls/s, ` +
        `${((achieved / limit) * 100).toFixed(1)}% of the ${limit}/s limit; ${refused} answered 429 (${((refused / medium.length) * 100).toFixed(2)}%)`,
    );
    expect(medium.length).toBeGreaterThanOrEqual(calls);
    expect(achieved).toBeGreaterThanOrEqual(0.9 * limit);
    expect(achieved).toBeLessThanOrEqual(limit);
    expect(refused / medium.length).toBeLessThan(0.01);
  });
});
