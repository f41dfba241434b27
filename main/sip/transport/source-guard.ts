/**
 * Source check at the transport edge (issue 10): who may send us out-of-dialog requests, decided from the
 * source address and the connection before the message is parsed.
 *
 *  - responses pass (the transaction layer matches them by branch; an unmatched one is dropped there);
 *  - UDP requests pass only from a trusted address: every resolved address (A/AAAA) of the outbound proxy
 *    and registrar, plus every address a REGISTER was actually sent to (RFC 3263 failover may pick any);
 *  - TCP/TLS requests pass only on a connection we opened (RFC 5626 §4.4: the flow the REGISTER used, or
 *    another one to a trusted address) whose peer is trusted;
 *  - `allowDirect` (account setting, off by default) lets peer-to-peer requests in.
 * Everything else is dropped without a response (no reflection, no fingerprinting) and counted.
 */
import { isIP } from 'node:net';
import { stripBrackets } from './address.ts';
import type { Endpoint } from './types.ts';

export interface SourceGuardCounters {
  /** requests dropped because their source is not on the registered path */
  readonly droppedRequests: number;
  /** the distinct sources of those requests (bounded, see MAX_REMEMBERED_SOURCES) */
  readonly droppedSources: number;
}

const MAX_REMEMBERED_SOURCES = 1024;
const RESPONSE_PREFIX = Buffer.from('SIP/2.0 ', 'latin1');

/** one textual form per address: brackets off, IPv4-mapped IPv6 as IPv4, lower case */
export function normalizeAddress(address: string): string {
  const bare = stripBrackets(address).toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(bare);
  return mapped?.[1] ?? bare;
}

export class SourceGuard {
  allowDirect: boolean;
  readonly #trusted = new Set<string>();
  #droppedRequests = 0;
  readonly #droppedFrom = new Set<string>();

  constructor(options: { readonly allowDirect?: boolean; readonly trusted?: readonly string[] } = {}) {
    this.allowDirect = options.allowDirect ?? false;
    for (const a of options.trusted ?? []) this.trust(a);
  }

  /** adds an address of the registered path (numeric IPv4/IPv6 only; names are resolved by the caller) */
  trust(address: string): void {
    const a = normalizeAddress(address);
    if (isIP(a) !== 0) this.#trusted.add(a);
  }

  isTrusted(address: string): boolean {
    return this.#trusted.has(normalizeAddress(address));
  }

  trustedAddresses(): readonly string[] {
    return [...this.#trusted];
  }

  /**
   * Whether the bytes from `source` go on to the parser. `outboundConnection` is true for a TCP/TLS
   * connection we opened, false for one a peer opened, undefined for UDP.
   */
  admit(data: Buffer, source: Endpoint, outboundConnection?: boolean): boolean {
    if (data.length >= RESPONSE_PREFIX.length && data.subarray(0, RESPONSE_PREFIX.length).equals(RESPONSE_PREFIX)) return true;
    if (this.allowDirect) return true;
    const trustedPeer = this.isTrusted(source.address);
    if (source.protocol === 'udp' ? trustedPeer : trustedPeer && outboundConnection === true) return true;
    this.#droppedRequests++;
    if (this.#droppedFrom.size < MAX_REMEMBERED_SOURCES) this.#droppedFrom.add(`${normalizeAddress(source.address)}:${source.port}`);
    return false;
  }

  counters(): SourceGuardCounters {
    return { droppedRequests: this.#droppedRequests, droppedSources: this.#droppedFrom.size };
  }
}
