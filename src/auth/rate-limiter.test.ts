import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limiter.js';

describe('RateLimiter', () => {
  it('blocks a key after max events in its window, until the window ends', () => {
    let now = 1_000_000;
    const limiter = new RateLimiter({ max: 3, windowMs: 60_000 }, () => now);
    for (let i = 0; i < 3; i++) {
      expect(limiter.blocked('a')).toBe(0);
      limiter.hit('a');
    }
    expect(limiter.blocked('a')).toBe(60);
    expect(limiter.blocked('b')).toBe(0); // keys are independent
    now += 45_000;
    expect(limiter.blocked('a')).toBe(15);
    now += 15_000;
    expect(limiter.blocked('a')).toBe(0);
  });

  it('forgets a key on reset', () => {
    const limiter = new RateLimiter({ max: 1, windowMs: 60_000 });
    limiter.hit('a');
    expect(limiter.blocked('a')).toBeGreaterThan(0);
    limiter.reset('a');
    expect(limiter.blocked('a')).toBe(0);
  });
});
