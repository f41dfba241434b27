import { describe, expect, it } from 'vitest';
import { JitterBuffer, type JitterPull } from '../../../main/media/jitter-buffer.ts';
import { LossConcealer } from '../../../main/media/loss-concealer.ts';
import { FakeClock } from './fake-clock.ts';

/** drives a jitter buffer like the media session does: one pull per 20 ms tick of the fake clock */
function playout(jb: JitterBuffer<string>, clock: FakeClock, arrivals: readonly [atMs: number, seq: number][], untilMs: number): JitterPull<string>[] {
  const out: JitterPull<string>[] = [];
  for (const [at, seq] of arrivals) clock.setTimeout(() => jb.push(seq, `f${seq}`, clock.now()), at);
  const tick = (): void => {
    out.push(jb.pull(clock.now()));
    clock.setTimeout(tick, 20);
  };
  clock.setTimeout(tick, 5); // ticks at 5, 25, 45 ... (phase independent of arrivals)
  clock.advance(untilMs);
  return out;
}

const summary = (pulls: JitterPull<string>[]): string[] =>
  pulls.filter((p) => p.kind !== 'idle').map((p) => (p.kind === 'frame' ? p.item : `miss${p.kind === 'missing' ? p.seq : ''}`));

describe('jitter buffer: ordering and target delay', () => {
  it('holds the first frame for the 60 ms target delay, then plays one frame per tick', () => {
    const clock = new FakeClock();
    const jb = new JitterBuffer<string>({ targetDelayMs: 60 });
    const pulls = playout(jb, clock, [[0, 1], [20, 2], [40, 3], [60, 4]], 200);
    // ticks at 5, 25, 45 are before 60 ms after the first arrival: idle
    expect(pulls.slice(0, 3).every((p) => p.kind === 'idle')).toBe(true);
    expect(pulls[3]).toEqual({ kind: 'frame', seq: 1, item: 'f1' });
    expect(summary(pulls).slice(0, 4)).toEqual(['f1', 'f2', 'f3', 'f4']);
  });

  it('MUST reorder packets that arrive out of sequence order (including one overtaking the first)', () => {
    const clock = new FakeClock();
    const jb = new JitterBuffer<string>();
    const pulls = playout(jb, clock, [[0, 11], [1, 10], [20, 13], [22, 12], [40, 15], [41, 14]], 200);
    expect(summary(pulls).slice(0, 6)).toEqual(['f10', 'f11', 'f12', 'f13', 'f14', 'f15']);
  });

  it('orders across the 65535 → 0 sequence wrap', () => {
    const clock = new FakeClock();
    const jb = new JitterBuffer<string>();
    const pulls = playout(jb, clock, [[0, 65534], [20, 0], [21, 65535], [40, 1]], 200);
    expect(summary(pulls).slice(0, 4)).toEqual(['f65534', 'f65535', 'f0', 'f1']);
  });
});

describe('jitter buffer: loss, late and duplicate packets', () => {
  it('reports a missing slot for a lost packet and keeps the timeline', () => {
    const clock = new FakeClock();
    const jb = new JitterBuffer<string>();
    const pulls = playout(jb, clock, [[0, 1], [20, 2], [60, 4], [80, 5]], 200);
    expect(summary(pulls).slice(0, 5)).toEqual(['f1', 'f2', 'miss3', 'f4', 'f5']);
    expect(jb.stats.missing).toBeGreaterThanOrEqual(1);
  });

  it('MUST drop a packet whose slot was already played (late) and a duplicate, counting both', () => {
    const jb = new JitterBuffer<string>();
    expect(jb.push(1, 'a', 0)).toBe('accepted');
    expect(jb.push(2, 'b', 20)).toBe('accepted');
    expect(jb.push(2, 'b again', 21)).toBe('duplicate');
    expect(jb.pull(60)).toEqual({ kind: 'frame', seq: 1, item: 'a' });
    expect(jb.pull(80)).toEqual({ kind: 'frame', seq: 2, item: 'b' });
    expect(jb.pull(100)).toEqual({ kind: 'missing', seq: 3 });
    expect(jb.push(3, 'too late', 101)).toBe('late');
    expect(jb.stats).toMatchObject({ late: 1, duplicate: 1, played: 2, missing: 1 });
  });

  it('goes idle after a run of missing slots with nothing buffered and restarts with a fresh delay', () => {
    const jb = new JitterBuffer<string>({ resyncAfterMissing: 3 });
    jb.push(1, 'a', 0);
    expect(jb.pull(60).kind).toBe('frame');
    expect([80, 100, 120].map((t) => jb.pull(t).kind)).toEqual(['missing', 'missing', 'missing']);
    expect(jb.pull(140).kind).toBe('idle');
    jb.push(500, 'b', 1000); // new talkspurt
    expect(jb.pull(1020).kind).toBe('idle');
    expect(jb.pull(1060)).toEqual({ kind: 'frame', seq: 500, item: 'b' });
  });

  it('discards the oldest frames when the buffer grows past target + excess (sender clock drift)', () => {
    const jb = new JitterBuffer<string>({ targetDelayMs: 60, maxExcessFrames: 2 });
    for (let s = 0; s < 10; s++) jb.push(s, `f${s}`, 0); // a burst of 10 frames
    const first = jb.pull(60);
    expect(first).toEqual({ kind: 'frame', seq: 5, item: 'f5' }); // 10 - (3 + 2)
    expect(jb.stats.discarded).toBe(5);
  });
});

describe('loss concealment (repeat once at half amplitude, then silence)', () => {
  it('repeats the last good frame attenuated, then gives silence', () => {
    const c = new LossConcealer(4);
    c.good(Int16Array.of(1000, -1000, 200, 0));
    expect(Array.from(c.conceal())).toEqual([500, -500, 100, 0]);
    expect(Array.from(c.conceal())).toEqual([0, 0, 0, 0]);
    expect(Array.from(new LossConcealer(3).conceal())).toEqual([0, 0, 0]);
  });
});
