/** Helpers for transport tests over real sockets. */
import type { InboundMessage, TransportErrorEvent } from '../../../../main/sip/transport/types.ts';
import type { ParseErrorEvent, SipTransportLayer } from '../../../../main/sip/transport/transport-layer.ts';

/** Resolves with the first value a subscription delivers (rejects after `ms` of real time). */
export function next<T>(subscribe: (listener: (value: T) => void) => () => void, what: string, ms = 5000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`timed out waiting for ${what}`));
    }, ms);
    const off = subscribe((value) => {
      clearTimeout(timer);
      off();
      resolve(value);
    });
  });
}

export const nextMessage = (layer: SipTransportLayer, ms?: number): Promise<InboundMessage> => next((l) => layer.onMessage(l), 'a message', ms);
export const nextError = (layer: SipTransportLayer, ms?: number): Promise<TransportErrorEvent> => next((l) => layer.onError(l), 'a transport error', ms);
export const nextParseError = (layer: SipTransportLayer, ms?: number): Promise<ParseErrorEvent> => next((l) => layer.onParseError(l), 'a parse error', ms);

/** Collects everything a subscription delivers. */
export function collect<T>(subscribe: (listener: (value: T) => void) => () => void): T[] {
  const out: T[] = [];
  subscribe((v) => out.push(v));
  return out;
}

/** waits until `check()` is true (real time, polled) */
export async function until(check: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export function portOf(layer: SipTransportLayer, protocol: 'udp' | 'tcp' | 'tls', family: 4 | 6 = 4): number {
  const found = layer.listening().find((l) => l.protocol === protocol && (family === 6) === l.address.includes(':'));
  if (!found) throw new Error(`not listening on ${protocol} IPv${family}`);
  return found.port;
}
