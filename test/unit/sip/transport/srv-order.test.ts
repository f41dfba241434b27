import { describe, expect, it } from 'vitest';
import { orderSrvRecords, type SrvRecord } from '../../../../main/sip/transport/srv-order.ts';

const rec = (name: string, priority: number, weight: number, port = 5060): SrvRecord => ({ name, port, priority, weight });

/** a sequence of "random" numbers in [0, 1) */
function sequence(...values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length] ?? 0;
}

describe('SRV ordering (RFC 2782)', () => {
  it('MUST try the lowest priority first, whatever the weights', () => {
    const out = orderSrvRecords([rec('c', 30, 100), rec('a', 10, 0), rec('b', 20, 50)], sequence(0.5));
    expect(out.map((r) => r.name)).toEqual(['a', 'b', 'c']);
  });

  it('within one priority picks by running weight sum (weight 0 placed first)', () => {
    // weights: z=0 first, then x=10, y=30: sum 40; pick floor(r*41)
    const records = [rec('x', 1, 10), rec('y', 1, 30), rec('z', 1, 0)];
    // r=0.9 -> 36: running sums z=0,x=10,y=40 -> y; then remaining z,x: sum 10, r=0.0 -> 0 -> z; then x
    expect(orderSrvRecords(records, sequence(0.9, 0.0, 0.0)).map((r) => r.name)).toEqual(['y', 'z', 'x']);
    // r=0.1 -> 4: x (running 10 >= 4); then z,y: sum 30, r=0.5 -> 15: y; then z
    expect(orderSrvRecords(records, sequence(0.1, 0.5, 0.0)).map((r) => r.name)).toEqual(['x', 'y', 'z']);
  });

  it('a heavier record is chosen first proportionately more often', () => {
    const records = [rec('light', 1, 10), rec('heavy', 1, 90)];
    let heavyFirst = 0;
    for (let i = 0; i < 100; i++) {
      if (orderSrvRecords(records, () => i / 100)[0]?.name === 'heavy') heavyFirst++;
    }
    expect(heavyFirst).toBeGreaterThanOrEqual(88);
    expect(heavyFirst).toBeLessThanOrEqual(91);
  });

  it('drops the "." target (service decidedly not available) and keeps every other record once', () => {
    const out = orderSrvRecords([rec('.', 0, 0), rec('a', 1, 5), rec('b', 1, 5), rec('c', 2, 0)], Math.random);
    expect(out.map((r) => r.name).sort()).toEqual(['a', 'b', 'c']);
    expect(out[2]?.name).toBe('c');
  });
});
