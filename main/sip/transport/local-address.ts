/**
 * Which local address to write into Via sent-by and Contact when a socket is bound to the wildcard
 * address: the loopback address for a loopback destination, else the first non-internal address of the
 * destination's family (no route lookup: a multi-homed host should bind a specific address instead).
 */
import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';

export function isWildcard(address: string): boolean {
  return address === '0.0.0.0' || address === '::' || address === '';
}

export function isLoopback(address: string): boolean {
  return address === '::1' || address.startsWith('127.');
}

export function pickLocalAddress(destination: string): string {
  const family = isIP(destination) === 6 ? 'IPv6' : 'IPv4';
  if (isLoopback(destination)) return family === 'IPv6' ? '::1' : '127.0.0.1';
  for (const list of Object.values(networkInterfaces())) {
    for (const info of list ?? []) {
      if (info.family === family && !info.internal && !(family === 'IPv6' && info.address.startsWith('fe80:'))) return info.address;
    }
  }
  return family === 'IPv6' ? '::1' : '127.0.0.1';
}
