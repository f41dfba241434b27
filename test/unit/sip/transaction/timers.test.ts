import { describe, expect, it } from 'vitest';
import {
  DEFAULT_TIMER_CONFIG,
  timerAInterval,
  timerB,
  timerConfig,
  timerD,
  timerEInterval,
  timerEProceedingInterval,
  timerF,
  timerGInterval,
  timerH,
  timerI,
  timerJ,
  timerK,
  timerL,
  timerM,
} from '../../../../main/sip/transaction/timers.ts';

describe('RFC 3261 Table 4 timer values', () => {
  it('defaults T1=500 ms, T2=4 s, T4=5 s (§17.1.1.1, §17.1.2.2)', () => {
    expect(DEFAULT_TIMER_CONFIG).toEqual({ t1: 500, t2: 4000, t4: 5000 });
  });

  it('Timer A doubles from T1 without a cap (§17.1.1.2)', () => {
    expect([0, 1, 2, 3, 4, 5, 6].map((n) => timerAInterval(n))).toEqual([500, 1000, 2000, 4000, 8000, 16000, 32000]);
  });

  it('Timer E doubles from T1 and MUST cap at T2 in Trying, T2 in Proceeding (§17.1.2.2)', () => {
    expect([0, 1, 2, 3, 4, 5].map((n) => timerEInterval(n))).toEqual([500, 1000, 2000, 4000, 4000, 4000]);
    expect(timerEProceedingInterval()).toBe(4000);
  });

  it('Timer G doubles from T1 and caps at T2 (§17.2.1)', () => {
    expect([0, 1, 2, 3, 4, 10].map((n) => timerGInterval(n))).toEqual([500, 1000, 2000, 4000, 4000, 4000]);
  });

  it('B, F, H, L, M are 64*T1 on any transport (§17.1.1.2, §17.1.2.2, §17.2.1, RFC 6026 §8.4/§8.7)', () => {
    for (const f of [timerB, timerF, timerH, timerL, timerM]) expect(f()).toBe(32_000);
  });

  it('D is at least 32 s for UDP and 0 for reliable transports (§17.1.1.2)', () => {
    expect(timerD(false)).toBe(32_000);
    expect(timerD(true)).toBe(0);
  });

  it('I and K are T4 for UDP, 0 for reliable; J is 64*T1 for UDP, 0 for reliable', () => {
    expect([timerI(false), timerI(true)]).toEqual([5000, 0]);
    expect([timerK(false), timerK(true)]).toEqual([5000, 0]);
    expect([timerJ(false), timerJ(true)]).toEqual([32_000, 0]);
  });

  it('derives every value from configured T1/T2/T4', () => {
    const c = timerConfig({ t1: 100, t2: 1000, t4: 2000 });
    expect(timerAInterval(4, c)).toBe(1600);
    expect(timerEInterval(4, c)).toBe(1000);
    expect(timerGInterval(3, c)).toBe(800);
    expect([timerB(c), timerF(c), timerH(c), timerL(c), timerM(c), timerJ(false, c)]).toEqual([6400, 6400, 6400, 6400, 6400, 6400]);
    expect([timerI(false, c), timerK(false, c)]).toEqual([2000, 2000]);
  });

  it('rejects a non-positive T1 and a negative retransmission count (programmer faults)', () => {
    expect(() => timerConfig({ t1: 0 })).toThrow(RangeError);
    expect(() => timerAInterval(-1)).toThrow(RangeError);
    expect(() => timerEInterval(1.5)).toThrow(RangeError);
  });
});
