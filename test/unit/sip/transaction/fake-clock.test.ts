import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../support/fake-clock.ts';

describe('FakeClock (test support)', () => {
  it('runs due timers in due order with now() at each due instant', () => {
    const clock = new FakeClock();
    const log: Array<[string, number]> = [];
    clock.setTimeout(() => log.push(['b', clock.now()]), 200);
    clock.setTimeout(() => log.push(['a', clock.now()]), 100);
    clock.setTimeout(() => log.push(['c', clock.now()]), 200);
    clock.advance(150);
    expect(log).toEqual([['a', 100]]);
    expect(clock.now()).toBe(150);
    clock.advance(50);
    expect(log).toEqual([['a', 100], ['b', 200], ['c', 200]]);
  });

  it('runs timers scheduled by a timer within the same advance', () => {
    const clock = new FakeClock();
    const at: number[] = [];
    const tick = (): void => {
      at.push(clock.now());
      if (at.length < 3) clock.setTimeout(tick, 10);
    };
    clock.setTimeout(tick, 10);
    clock.advance(100);
    expect(at).toEqual([10, 20, 30]);
  });

  it('clearTimeout cancels and pending() lists what is left, soonest first', () => {
    const clock = new FakeClock(1000);
    const h = clock.setTimeout(() => undefined, 50);
    clock.setTimeout(() => undefined, 500);
    clock.setTimeout(() => undefined, 20);
    clock.clearTimeout(h);
    expect(clock.pending().map((p) => p.due)).toEqual([1020, 1500]);
    clock.runAll();
    expect(clock.pending()).toEqual([]);
    expect(clock.now()).toBe(1500);
  });

  it('refuses to go back in time', () => {
    const clock = new FakeClock(10);
    expect(() => clock.advanceTo(5)).toThrow(RangeError);
    expect(() => clock.advance(-1)).toThrow(RangeError);
  });
});
