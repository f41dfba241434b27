import { describe, expect, it } from 'vitest';
import { settleWithin } from '../../../../main/sip/transaction/clock.ts';
import { FakeClock } from '../../../support/fake-clock.ts';

const flush = () => new Promise((r) => setImmediate(r));

describe('settleWithin: a wait that must end (quit with a silent PBX)', () => {
  it('gives up exactly at the bound when the work never settles', async () => {
    const clock = new FakeClock();
    let result: boolean | null = null;
    void settleWithin(clock, 3_000, new Promise(() => undefined)).then((r) => (result = r));
    clock.advance(2_999);
    await flush();
    expect(result).toBeNull();
    clock.advance(1);
    await flush();
    expect(result).toBe(false);
  });

  it('ends with the work (resolved or rejected) and cancels its timer', async () => {
    const clock = new FakeClock();
    expect(await settleWithin(clock, 3_000, Promise.resolve('done'))).toBe(true);
    expect(await settleWithin(clock, 3_000, Promise.reject(new Error('408')))).toBe(true);
    expect(clock.pending().length).toBe(0);
  });
});
