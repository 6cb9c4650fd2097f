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
 * of bouncing off it: a sliding window of the last N start times, where the next call may start
 * once the N-th previous one is a window (plus a small margin for network jitter) in the past.
 * Calls are admitted in order, one category never waits on another.
 */
export class RateLimiter {
  private readonly starts = new Map<RateCategory, number[]>();
  private readonly queues = new Map<RateCategory, Promise<void>>();
  private readonly pausedUntil = new Map<RateCategory, number>();

  constructor(
    private readonly limits: Record<RateCategory, CategoryLimit>,
    private readonly clock: Clock = realClock,
    private readonly marginMs = 25,
  ) {
    for (const category of CATEGORIES) {
      this.starts.set(category, []);
      this.queues.set(category, Promise.resolve());
    }
  }

  /** Resolves when a call in this category may start. */
  acquire(category: RateCategory): Promise<void> {
    const turn = this.queues.get(category)!.then(() => this.waitForSlot(category));
    this.queues.set(category, turn.catch(() => undefined));
    return turn;
  }

  /** Holds a category until a moment Zoom named (a 429's Retry-After). */
  pause(category: RateCategory, untilMs: number): void {
    this.pausedUntil.set(category, Math.max(untilMs, this.pausedUntil.get(category) ?? 0));
  }

  private async waitForSlot(category: RateCategory): Promise<void> {
    const { requests, windowMs } = this.limits[category];
    const starts = this.starts.get(category)!;
    for (;;) {
      const now = this.clock.now();
      const windowFreeAt = starts.length < requests ? now : starts[starts.length - requests]! + windowMs + this.marginMs;
      const readyAt = Math.max(windowFreeAt, this.pausedUntil.get(category) ?? 0);
      if (readyAt <= now) {
        starts.push(now);
        if (starts.length > requests) starts.splice(0, starts.length - requests);
        return;
      }
      await this.clock.sleep(readyAt - now);
    }
  }
}
