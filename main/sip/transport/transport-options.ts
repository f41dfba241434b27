/** Options and events of SipTransportLayer (transport-layer.ts). */
import type { SourceGuard } from './source-guard.ts';
import type { SourceRateLimit } from './source-rate-limit.ts';
import type { SipParseError } from '../message/index.ts';
import type { Clock } from '../transaction/clock.ts';
import type { TlsTrustLookup } from './tls-trust.ts';
import type { WireTraceListener } from './trace.ts';
import type { Endpoint, TransportProtocol } from './types.ts';

export interface ListenSpec {
  readonly protocol: TransportProtocol;
  /** numeric address to bind ('0.0.0.0' / '::' for all) */
  readonly address: string;
  /** 0 = any free port */
  readonly port: number;
}

export interface TransportLayerOptions {
  readonly clock?: Clock;
  /** sockets to listen on; without any, UDP binds an ephemeral port per family on first use (client only) */
  readonly listen?: readonly ListenSpec[];
  /** certificate and key (PEM) for a TLS listener */
  readonly tlsServer?: { readonly cert: string; readonly key: string };
  /** client certificate for mutual TLS (optional) */
  readonly tlsClient?: { readonly cert: string; readonly key: string };
  /** explicit trust (pinned certificate) per destination; verification is always on otherwise */
  readonly tlsTrust?: TlsTrustLookup;
  /** close a connection after this long without traffic and pending use (default 5 min) */
  readonly idleTimeoutMs?: number;
  readonly connectTimeoutMs?: number;
  /** largest message accepted on every transport, datagram or stream (default 65535) */
  readonly maxMessageSize?: number;
  /** §18.1.1: write the local address into the top Via sent-by of requests (default true) */
  readonly fillViaSentBy?: boolean;
  /** RFC 3581 §3: add `rport` to the top Via of requests (default true) */
  readonly addRport?: boolean;
  /** SO_RCVBUF asked for UDP sockets (default 2 MiB, capped by the OS) */
  readonly udpReceiveBufferBytes?: number;
  readonly onTrace?: WireTraceListener;
  /** source check before parsing (source-guard.ts); none = every source is heard (tests, tools) */
  readonly sourceGuard?: SourceGuard;
  /** per-source token buckets, consulted before anything else (source-rate-limit.ts); none = no limit */
  readonly rateLimit?: SourceRateLimit;
  /**
   * RFC 3261 §18.4: learn ICMP errors for UDP destinations we send requests to (udp-reachability.ts);
   * an unreachable destination is reported through onError. Default off (tools, tests with raw peers).
   */
  readonly icmpProbe?: boolean | { readonly waitMs?: number; readonly minIntervalMs?: number };
  /** wall clock for trace times (default Date.now) */
  readonly wallClock?: () => number;
}

export interface ParseErrorEvent {
  readonly error: SipParseError;
  readonly source: Endpoint;
  readonly local: { readonly address: string; readonly port: number };
  readonly raw: Buffer;
}

export const DEFAULT_IDLE_TIMEOUT_MS = 5 * 60_000;
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_MESSAGE_SIZE = 65_535;
