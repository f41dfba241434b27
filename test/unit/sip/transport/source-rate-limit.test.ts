/**
 * Per-source token buckets at the transport edge (issue 10, "bounded cost"), on the fake clock: a source
 * off the registered path gets its burst then its rate; the registered path is unlimited by default; the
 * map of sources stays bounded under a flood from many addresses.
 */
import { describe, expect, it } from 'vitest';
import { SourceRateLimit } from '../../../../main/sip/transport/source-rate-limit.ts';
import { FakeClock } from '../../../support/fake-clock.ts';

const admitted = (limit: SourceRateLimit, address: string, n: number, trusted = false): number => {
  let ok = 0;
  for (let i = 0; i < n; i++) if (limit.admit(address, trusted)) ok++;
  return ok;
};

describe('SourceRateLimit (issue 10: a per-source rate limit before any work)', () => {
  it('a source gets its burst at once, then its rate; the rest is dropped and counted', () => {
    const clock = new FakeClock();
    const limit = new SourceRateLimit({ clock, untrusted: { perSecond: 10, burst: 5 } });
    expect(admitted(limit, '203.0.113.7', 100)).toBe(5);
    expect(limit.counters().limitedMessages).toBe(95);
    clock.advance(1000);
    // one second refills 10 tokens, capped at the burst of 5
    expect(admitted(limit, '203.0.113.7', 100)).toBe(5);
    clock.advance(300);
    expect(admitted(limit, '203.0.113.7', 100)).toBe(3);
    expect(limit.counters().limitedMessages).toBe(95 + 95 + 97);
  });

  it('sources have separate buckets (one flooder does not silence another)', () => {
    const clock = new FakeClock();
    const limit = new SourceRateLimit({ clock, untrusted: { perSecond: 1, burst: 2 } });
    expect(admitted(limit, '203.0.113.7', 50)).toBe(2);
    expect(admitted(limit, '203.0.113.8', 50)).toBe(2);
    // one address in its textual forms is one source
    expect(admitted(limit, '::ffff:203.0.113.8', 5)).toBe(0);
  });

  it('the registered path is unlimited by default, and limited by its own budget when one is set', () => {
    const clock = new FakeClock();
    expect(admitted(new SourceRateLimit({ clock }), '192.0.2.10', 10_000, true)).toBe(10_000);
    const limited = new SourceRateLimit({ clock, trusted: { perSecond: 100, burst: 200 }, untrusted: { perSecond: 1, burst: 1 } });
    expect(admitted(limited, '192.0.2.10', 1000, true)).toBe(200);
    // the same address unproven is a different budget
    expect(admitted(limited, '192.0.2.10', 10, false)).toBe(1);
  });

  it('the default budget off the registered path is 20/s with a burst of 40', () => {
    const clock = new FakeClock();
    const limit = new SourceRateLimit({ clock });
    expect(admitted(limit, '203.0.113.7', 20_000)).toBe(40);
    clock.advance(10_000);
    expect(admitted(limit, '203.0.113.7', 20_000)).toBe(40);
    clock.advance(500);
    expect(admitted(limit, '203.0.113.7', 20_000)).toBe(10);
  });

  it('a flood from many addresses keeps the map bounded: idle sources are forgotten, the rest share one bucket', () => {
    const clock = new FakeClock();
    const limit = new SourceRateLimit({ clock, untrusted: { perSecond: 10, burst: 2 }, maxSources: 100 });
    let ok = 0;
    for (let i = 0; i < 10_000; i++) if (limit.admit(`10.0.${String(i >> 8)}.${String(i & 255)}`, false)) ok++;
    expect(limit.trackedSources).toBeLessThanOrEqual(101);
    // each of the first 100 sources got its message; the 9,900 others shared one overflow bucket of 2
    expect(ok).toBe(100 + 2);
    expect(limit.counters().limitedMessages).toBe(10_000 - 102);
    // once the first sources are idle (refilled), new ones get buckets of their own again
    clock.advance(1000);
    expect(admitted(limit, '198.51.100.1', 5)).toBe(2);
    expect(admitted(limit, '198.51.100.2', 5)).toBe(2);
    expect(limit.trackedSources).toBeLessThanOrEqual(101);
  });
});
