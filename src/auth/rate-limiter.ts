// A fixed-window rate limiter in memory: sign-in failures per address and per name, token use per address.

export interface RateLimit {
  /** Attempts allowed per window. */
  max: number;
  windowMs: number;
}

export const SIGN_IN_FAILURES_PER_ADDRESS: RateLimit = { max: 20, windowMs: 15 * 60_000 };
export const SIGN_IN_FAILURES_PER_NAME: RateLimit = { max: 5, windowMs: 15 * 60_000 };
export const BAD_TOKENS_PER_ADDRESS: RateLimit = { max: 20, windowMs: 60_000 };
export const REQUESTS_PER_TOKEN: RateLimit = { max: 1200, windowMs: 60_000 };

/** Counts events per key; `blocked` says when a key has used up its window, and for how many seconds more. */
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly limit: RateLimit,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds until the key may try again, or 0 when it may now. */
  blocked(key: string): number {
    const w = this.current(key);
    return w && w.count >= this.limit.max ? Math.ceil((w.start + this.limit.windowMs - this.now()) / 1000) : 0;
  }

  /** Counts one event. */
  hit(key: string): void {
    const w = this.current(key);
    if (w) w.count++;
    else {
      if (this.windows.size > 100_000) this.windows.clear(); // bounded memory under a flood of addresses
      this.windows.set(key, { start: this.now(), count: 1 });
    }
  }

  reset(key: string): void {
    this.windows.delete(key);
  }

  private current(key: string): { start: number; count: number } | undefined {
    const w = this.windows.get(key);
    if (w && this.now() - w.start >= this.limit.windowMs) {
      this.windows.delete(key);
      return undefined;
    }
    return w;
  }
}
