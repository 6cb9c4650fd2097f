import { CATEGORIES, type CategoryLimit, type RateCategory } from './limits';

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * Paces calls per Zoom rate-limit category so the client stays under the account's limit instead
 * of bouncing off it. Calls are spaced evenly, one every window/limit (plus a small share of
 * margin for network jitter): no bursts, so no window ever holds more than the limit, even when
 * several callers share the client. Calls are admitted in order; categories don't wait on each other.
 */
export class RateLimiter {
  private readonly nextFreeAt = new Map<RateCategory, number>();
  private readonly queues = new Map<RateCategory, Promise<void>>();
  private readonly pausedUntil = new Map<RateCategory, number>();

  constructor(
    private readonly limits: Record<RateCategory, CategoryLimit>,
    private readonly clock: Clock = realClock,
    /**
     * Extra time per window, spread over its calls: 50 ms on a 1 s window keeps 95% of the limit.
     * Zoom counts a call when it arrives, so one that arrives late shares a window with the calls
     * after it: with 25 ms, three of six 100k syncs against a just-started sandbox (slow to answer
     * its first calls) had one call answered 429; with 50 ms, none of seven.
     */
    private readonly marginMs = 50,
  ) {
    for (const category of CATEGORIES) this.queues.set(category, Promise.resolve());
  }

  /** Resolves when a call in this category may start. */
  acquire(category: RateCategory): Promise<void> {
    const turn = this.queues.get(category)!.then(() => this.waitForSlot(category));
    this.queues.set(
      category,
      turn.catch(() => undefined),
    );
    return turn;
  }

  /** Holds a category until a moment Zoom named (a 429's Retry-After). */
  pause(category: RateCategory, untilMs: number): void {
    this.pausedUntil.set(category, Math.max(untilMs, this.pausedUntil.get(category) ?? 0));
  }

  private async waitForSlot(category: RateCategory): Promise<void> {
    const { requests, windowMs } = this.limits[category];
    const interval = (windowMs + this.marginMs) / requests;
    for (;;) {
      const now = this.clock.now();
      const readyAt = Math.max(this.nextFreeAt.get(category) ?? 0, this.pausedUntil.get(category) ?? 0);
      if (readyAt <= now) {
        this.nextFreeAt.set(category, now + interval);
        return;
      }
      await this.clock.sleep(readyAt - now);
    }
  }
}
