/**
 * Timer values of RFC 3261 §17 (Table 4, Appendix A) and RFC 6026 §8.4/§8.7, as pure functions of
 * T1/T2/T4 and the reliability of the transport (§17.1.1.2: TCP/TLS reliable, UDP not).
 *
 * Retransmission intervals take `n` = how many retransmissions already happened, so the interval before
 * the first retransmission is timerXInterval(0) = T1.
 */

export interface TimerConfig {
  /** RTT estimate, default 500 ms (§17.1.1.1) */
  readonly t1: number;
  /** maximum retransmit interval for non-INVITE requests and INVITE responses, default 4 s */
  readonly t2: number;
  /** maximum duration a message will remain in the network, default 5 s */
  readonly t4: number;
}

export const DEFAULT_TIMER_CONFIG: TimerConfig = Object.freeze({ t1: 500, t2: 4000, t4: 5000 });

/** §17.2.1: the server transaction MUST generate a 100 (Trying) unless the TU answers within 200 ms. */
export const INVITE_TRYING_DELAY_MS = 200;

/** Timer D for unreliable transports: "at least 32 seconds" (§17.1.1.2, Table 4). */
export const TIMER_D_UNRELIABLE_MS = 32_000;

export function timerConfig(overrides: Partial<TimerConfig> = {}): TimerConfig {
  const config = { ...DEFAULT_TIMER_CONFIG, ...overrides };
  for (const [name, value] of Object.entries(config)) {
    if (!Number.isFinite(value) || value <= 0) throw new RangeError(`timer ${name} must be a positive number, got ${value}`);
  }
  return Object.freeze(config);
}

function doubling(t1: number, n: number): number {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`retransmission count must be a natural number, got ${n}`);
  // 2^40 * T1 is far past any transaction timeout; keeps the arithmetic finite
  return t1 * 2 ** Math.min(n, 40);
}

/** Timer A (§17.1.1.2): INVITE request retransmit interval, T1 doubling each time, not capped. UDP only. */
export function timerAInterval(n: number, config: TimerConfig = DEFAULT_TIMER_CONFIG): number {
  return doubling(config.t1, n);
}

/** Timer B (§17.1.1.2): INVITE transaction timeout, 64*T1. */
export function timerB(config: TimerConfig = DEFAULT_TIMER_CONFIG): number {
  return 64 * config.t1;
}

/** Timer D (§17.1.1.2): wait time for response retransmits, >= 32 s for UDP, 0 for reliable transports. */
export function timerD(reliable: boolean): number {
  return reliable ? 0 : TIMER_D_UNRELIABLE_MS;
}

/**
 * Timer E (§17.1.2.2) in the Trying state: "the timer is reset with a value of MIN(2*T1, T2) ... the
 * interval doubles until it reaches T2". UDP only.
 */
export function timerEInterval(n: number, config: TimerConfig = DEFAULT_TIMER_CONFIG): number {
  return Math.min(doubling(config.t1, n), config.t2);
}

/** Timer E (§17.1.2.2) in the Proceeding state: "Timer E MUST be reset with a value of T2 seconds". */
export function timerEProceedingInterval(config: TimerConfig = DEFAULT_TIMER_CONFIG): number {
  return config.t2;
}

/** Timer F (§17.1.2.2): non-INVITE transaction timeout, 64*T1. */
export function timerF(config: TimerConfig = DEFAULT_TIMER_CONFIG): number {
  return 64 * config.t1;
}

/** Timer G (§17.2.1): INVITE final response retransmit interval, MIN(T1*2^n, T2). UDP only. */
export function timerGInterval(n: number, config: TimerConfig = DEFAULT_TIMER_CONFIG): number {
  return Math.min(doubling(config.t1, n), config.t2);
}

/** Timer H (§17.2.1): wait time for ACK receipt, 64*T1. */
export function timerH(config: TimerConfig = DEFAULT_TIMER_CONFIG): number {
  return 64 * config.t1;
}

/** Timer I (§17.2.1): wait time for ACK retransmits, T4 for UDP, 0 for reliable transports. */
export function timerI(reliable: boolean, config: TimerConfig = DEFAULT_TIMER_CONFIG): number {
  return reliable ? 0 : config.t4;
}

/** Timer J (§17.2.2): wait time for non-INVITE request retransmits, 64*T1 for UDP, 0 for reliable. */
export function timerJ(reliable: boolean, config: TimerConfig = DEFAULT_TIMER_CONFIG): number {
  return reliable ? 0 : 64 * config.t1;
}

/** Timer K (§17.1.2.2): wait time for response retransmits, T4 for UDP, 0 for reliable. */
export function timerK(reliable: boolean, config: TimerConfig = DEFAULT_TIMER_CONFIG): number {
  return reliable ? 0 : config.t4;
}

/** Timer L (RFC 6026 §8.7): wait time for accepted INVITE request retransmits, 64*T1. */
export function timerL(config: TimerConfig = DEFAULT_TIMER_CONFIG): number {
  return 64 * config.t1;
}

/** Timer M (RFC 6026 §8.4): wait time for retransmission of 2xx to INVITE, 64*T1. */
export function timerM(config: TimerConfig = DEFAULT_TIMER_CONFIG): number {
  return 64 * config.t1;
}
