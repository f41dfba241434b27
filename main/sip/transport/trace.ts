/**
 * Wire trace (diagnostics view): every message and keep-alive sent or received, as raw bytes.
 * Credentials are not redacted here: the diagnostics layer redacts before it shows or stores anything.
 */
import type { Endpoint } from './types.ts';

export interface WireTraceEvent {
  readonly direction: 'in' | 'out';
  /** the far end (with connectionId for streams) */
  readonly remote: Endpoint;
  readonly local: { readonly address: string; readonly port: number };
  readonly raw: Buffer;
  /** wall-clock time, ms since the epoch */
  readonly at: number;
  /** 'message' for SIP messages, 'keepalive' for CRLF pings/pongs (RFC 5626 §3.5.1) */
  readonly kind: 'message' | 'keepalive';
  /**
   * true when nobody writes to `raw` after the event (a UDP datagram received, bytes serialized for one
   * send): a listener may keep it as it is. Otherwise (a stream's buffer) it must copy what it keeps.
   */
  readonly stable?: boolean;
}

export type WireTraceListener = (event: WireTraceEvent) => void;
