/**
 * Receiver statistics for one remote source (RFC 3550 §6.4.1, A.3 loss, A.8 interarrival jitter)
 * plus the sender's counters. Pure: arrival times are passed in (milliseconds from the injected clock).
 */
import { SequenceTracker } from './rtp-sequence.ts';

export interface RtpStatsSnapshot {
  readonly packetsSent: number;
  readonly bytesSent: number;
  readonly packetsReceived: number;
  readonly bytesReceived: number;
  /** cumulative number of packets lost (RFC 3550 A.3: expected - received, may be negative with duplicates) */
  readonly packetsLost: number;
  /** interarrival jitter in timestamp units (RFC 3550 A.8) */
  readonly jitter: number;
  /** the same jitter in milliseconds */
  readonly jitterMs: number;
  /** datagrams dropped because they were not valid RTP or came from an address we did not latch */
  readonly packetsDiscarded: number;
}

export class RtpReceiveStats {
  private readonly clockRate: number;
  private readonly tracker = new SequenceTracker();
  private transit: number | null = null;
  private jitterValue = 0;
  private expectedPrior = 0;
  private receivedPrior = 0;
  bytesReceived = 0;
  packetsReceived = 0;

  constructor(clockRate: number) {
    this.clockRate = clockRate;
  }

  /**
   * Account one packet. Returns the extended sequence number, or null when the sequence tracker
   * rejects it (an unconfirmed jump).
   */
  onPacket(seq: number, rtpTimestamp: number, arrivalMs: number, payloadBytes: number): number | null {
    const ext = this.tracker.update(seq);
    if (ext === null) return null;
    this.packetsReceived++;
    this.bytesReceived += payloadBytes;
    // A.8: D(i-1,i) = (Rj - Ri) - (Sj - Si), J += (|D| - J) / 16, all in timestamp units
    const arrival = Math.round((arrivalMs * this.clockRate) / 1000);
    const transit = (arrival - rtpTimestamp) | 0;
    if (this.transit !== null) {
      const d = Math.abs((transit - this.transit) | 0);
      this.jitterValue += (d - this.jitterValue) / 16;
    }
    this.transit = transit;
    return ext;
  }

  get extendedHighestSeq(): number {
    return this.tracker.extendedMax;
  }

  get cumulativeLost(): number {
    return this.tracker.expected - this.tracker.received;
  }

  get jitter(): number {
    return Math.floor(this.jitterValue);
  }

  get jitterMs(): number {
    return (this.jitterValue * 1000) / this.clockRate;
  }

  get hasReceived(): boolean {
    return this.packetsReceived > 0;
  }

  /** RFC 3550 A.3: fraction lost since the previous report, as a fixed point number /256. */
  takeFractionLost(): number {
    const expected = this.tracker.expected;
    const expectedInterval = expected - this.expectedPrior;
    const receivedInterval = this.tracker.received - this.receivedPrior;
    this.expectedPrior = expected;
    this.receivedPrior = this.tracker.received;
    const lostInterval = expectedInterval - receivedInterval;
    if (expectedInterval === 0 || lostInterval <= 0) return 0;
    return Math.min(255, Math.floor((lostInterval << 8) / expectedInterval));
  }
}
