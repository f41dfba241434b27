/**
 * The after-flood memory reclaim (issue 10, services/memory-reclaim.ts): a memory-reducing GC runs only when
 * the RSS grew past the threshold over its baseline AND the SIP edge is quiet, at most once per gap; what
 * stays after it is the new baseline. On the fake clock, with a fake RSS and a fake GC.
 */
import { describe, expect, it } from 'vitest';
import { MemoryReclaimer } from '../../../main/services/memory-reclaim.ts';
import { FakeClock } from '../../support/fake-clock.ts';

const MB = 1024 * 1024;

function setup(o: { quiet?: boolean } = {}) {
  const clock = new FakeClock(0);
  const state = { rss: 100 * MB, quiet: o.quiet ?? true, gcs: 0, afterGc: 100 * MB };
  const reclaimer = new MemoryReclaimer({
    clock,
    rss: () => state.rss,
    quiet: () => state.quiet,
    reclaim: () => {
      state.gcs++;
      state.rss = state.afterGc;
      return Promise.resolve();
    },
    intervalMs: 1000,
    thresholdBytes: 32 * MB,
    minGapMs: 60_000,
  });
  return { clock, state, reclaimer };
}

describe('MemoryReclaimer (issue 10: RSS back after a flood)', () => {
  it('reclaims once the RSS grew past the threshold and the edge is quiet, and counts what it gave back', async () => {
    const { clock, state, reclaimer } = setup();
    expect(await reclaimer.check()).toBe(false);
    state.rss = 120 * MB;
    clock.advance(1000);
    expect(await reclaimer.check()).toBe(false);
    expect(state.gcs).toBe(0);
    state.rss = 400 * MB;
    state.afterGc = 110 * MB;
    clock.advance(1000);
    expect(await reclaimer.check()).toBe(true);
    expect(state.gcs).toBe(1);
    expect(reclaimer.counters()).toEqual({ reclaims: 1, releasedBytes: 290 * MB });
  });

  it('never reclaims while the edge is busy (a flood in progress), and does once it is quiet', async () => {
    const { state, reclaimer } = setup({ quiet: false });
    await reclaimer.check();
    state.rss = 400 * MB;
    expect(await reclaimer.check()).toBe(false);
    expect(state.gcs).toBe(0);
    state.quiet = true;
    expect(await reclaimer.check()).toBe(true);
    expect(state.gcs).toBe(1);
  });

  it('waits the gap between reclaims, and measures new growth from what the last one left', async () => {
    const { clock, state, reclaimer } = setup();
    await reclaimer.check();
    state.rss = 400 * MB;
    state.afterGc = 200 * MB;
    expect(await reclaimer.check()).toBe(true);
    // 200 MB stayed (live): not growth, no GC for it, however long we wait
    clock.advance(120_000);
    expect(await reclaimer.check()).toBe(false);
    // new growth on top of it, but too soon after the last reclaim: waits
    state.rss = 300 * MB;
    state.afterGc = 205 * MB;
    expect(await reclaimer.check()).toBe(true);
    state.rss = 300 * MB;
    clock.advance(30_000);
    expect(await reclaimer.check()).toBe(false);
    clock.advance(30_000);
    expect(await reclaimer.check()).toBe(true);
    expect(state.gcs).toBe(3);
  });

  it('looks by itself every interval once started, and not after stop', async () => {
    const { clock, state, reclaimer } = setup();
    reclaimer.start();
    clock.advance(1000);
    await Promise.resolve();
    state.rss = 400 * MB;
    clock.advance(1000);
    for (let i = 0; i < 5; i++) await Promise.resolve();
    expect(state.gcs).toBe(1);
    reclaimer.stop();
    state.rss = 400 * MB;
    clock.advance(120_000);
    for (let i = 0; i < 5; i++) await Promise.resolve();
    expect(state.gcs).toBe(1);
  });
});
