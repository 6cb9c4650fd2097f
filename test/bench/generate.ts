import { makePerson } from '../../electron/core/sandbox/people';
import { SeededRandom } from '../../electron/core/sandbox/random';
import { registrationFields } from '../../electron/core/sandbox/seed';
import type { ZoomRegistrant } from '../../electron/core/zoom/types';

/** Pages of realistic registrants (the sandbox's people), generated as they are consumed. */
export function* registrantPages(total: number, pageSize = 300, seed = 7): Generator<ZoomRegistrant[]> {
  const random = new SeededRandom(seed);
  for (let start = 0; start < total; start += pageSize) {
    const page: ZoomRegistrant[] = [];
    for (let n = start; n < Math.min(total, start + pageSize); n++) {
      const person = makePerson(random, n + 1);
      const roll = random.next();
      page.push({
        ...registrationFields(person, random),
        id: random.id(),
        status: roll < 0.85 ? 'approved' : roll < 0.95 ? 'pending' : 'denied',
        create_time: '2026-10-01T10:00:00Z',
      });
    }
    yield page;
  }
}

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
