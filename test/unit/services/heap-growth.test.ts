/**
 * The heap policies of issue 10 (the flood's peak and what stays after it): V8's old-generation growth is
 * limited once per process with the flag V8 reads at every GC (heap-growth.ts; node:v8 mocked here, since the
 * flag is process-wide), and a memory-reducing GC gives a grown heap back (storage/heap-reclaim.ts, for real).
 */
import type * as V8 from 'node:v8';
import { describe, expect, it, vi } from 'vitest';

const setFlags = vi.hoisted(() => vi.fn<(flags: string) => void>());
vi.mock('node:v8', async (importOriginal) => ({ ...(await importOriginal<typeof V8>()), setFlagsFromString: setFlags }));

describe('heap policies (issue 10)', () => {
  it('limits the old generation growth to 1.2x, once per process', async () => {
    const { limitHeapGrowth, HEAP_GROWING_PERCENT } = await import('../../../main/services/heap-growth.ts');
    expect(HEAP_GROWING_PERCENT).toBe(20);
    limitHeapGrowth();
    limitHeapGrowth(50);
    expect(setFlags.mock.calls).toEqual([['--heap-growing-percent=20']]);
  });

  it('the gc extension is allowed once, from the main thread; reclaiming without it says so', async () => {
    vi.resetModules();
    setFlags.mockClear();
    const { allowHeapReclaim, reduceHeapMemory } = await import('../../../main/storage/heap-reclaim.ts');
    // node:v8 is mocked here: the flag is never really set, so no context gets `gc`
    expect(() => reduceHeapMemory()).toThrow(/allowHeapReclaim\(\) was not called/);
    allowHeapReclaim();
    allowHeapReclaim();
    expect(setFlags.mock.calls).toEqual([['--expose-gc']]);
  });

  it('a memory-reducing GC gives a grown heap back', async () => {
    vi.doUnmock('node:v8');
    vi.resetModules();
    const { allowHeapReclaim, reduceHeapMemory } = await import('../../../main/storage/heap-reclaim.ts');
    allowHeapReclaim();
    const { getHeapStatistics } = await import('node:v8');
    // grow the heap with objects that die after a while, as a flood's do
    const keep: string[][] = [];
    for (let round = 0; round < 40; round++) {
      keep.push(Array.from({ length: 5000 }, (_, i) => `garbage ${String(round)} ${String(i)} `.repeat(4)));
      if (keep.length > 8) keep.shift();
    }
    keep.length = 0;
    const grown = getHeapStatistics().total_heap_size;
    reduceHeapMemory();
    expect(getHeapStatistics().total_heap_size).toBeLessThan(grown);
  });
});
