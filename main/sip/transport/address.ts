/** Small helpers for numeric addresses and host strings as SIP writes them (RFC 3261 §25.1, RFC 5954). */
import { isIP } from 'node:net';
import type { TransportProtocol } from './types.ts';

/** `[2001:db8::1]` → `2001:db8::1`; other hosts unchanged */
export function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** true for an IPv4 or IPv6 literal (with or without brackets) */
export function isNumericHost(host: string): boolean {
  return isIP(stripBrackets(host)) !== 0;
}

/** host as it goes into a Via sent-by, Contact or URI: IPv6 in brackets (RFC 3261 §25.1 IPv6reference) */
export function formatHost(address: string): string {
  return isIP(address) === 6 ? `[${address}]` : address;
}

/** RFC 3261 §19.1.2 / §18.2.2: 5060 for UDP/TCP, 5061 for TLS */
export function defaultPort(protocol: TransportProtocol): number {
  return protocol === 'tls' ? 5061 : 5060;
}

/** Via transport token (§20.42) for a protocol */
export function viaTransport(protocol: TransportProtocol): string {
  return protocol.toUpperCase();
}

/** protocol named by a Via transport token, or null for ones we do not speak (SCTP, WS...) */
export function protocolFromViaTransport(transport: string): TransportProtocol | null {
  const t = transport.toLowerCase();
  return t === 'udp' || t === 'tcp' || t === 'tls' ? t : null;
}

/** IPv4-mapped IPv6 (`::ffff:1.2.3.4`, seen on dual-stack sockets) → `1.2.3.4` */
export function normalizeAddress(address: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return m?.[1] ?? address;
}

/** same numeric address regardless of brackets, case and IPv4-mapped form */
export function sameAddress(a: string, b: string): boolean {
  return normalizeAddress(stripBrackets(a)).toLowerCase() === normalizeAddress(stripBrackets(b)).toLowerCase();
}
