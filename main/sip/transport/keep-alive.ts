/**
 * CRLF keep-alive (RFC 5626 §3.5.1, §4.4.1). Over a stream: send CRLFCRLF every `intervalMs`; when no CRLF
 * pong comes back within `pongTimeoutMs` (RFC 5626 §4.4.1: 10 s) the flow has failed: the connection is
 * closed and the failure reported through the layer's onError listeners. Over UDP: CRLFCRLF is sent to
 * keep NAT bindings open (no pong is expected: RFC 5626 uses STUN for that, not implemented here).
 * The keep-alive holds the connection (no idle close while it runs). Timers run on the layer's clock.
 */
import type { TimerHandle } from '../transaction/clock.ts';
import { CRLF_CRLF, type StreamConnection } from './stream-connection.ts';
import type { SipTransportLayer } from './transport-layer.ts';
import { TransportError, type Endpoint } from './types.ts';

export const DEFAULT_PONG_TIMEOUT_MS = 10_000;

export interface KeepAliveOptions {
  readonly pongTimeoutMs?: number;
}

/** Starts pinging; returns the function that stops it. Throws a TransportError for a stream without an open connection. */
export function startKeepAlive(layer: SipTransportLayer, endpoint: Endpoint, intervalMs: number, options: KeepAliveOptions = {}): () => void {
  if (intervalMs <= 0) throw new RangeError('keep-alive interval must be positive');
  const clock = layer.clock;
  const pongTimeoutMs = options.pongTimeoutMs ?? DEFAULT_PONG_TIMEOUT_MS;
  let connection: StreamConnection | undefined;
  let release: () => void = () => undefined;
  if (endpoint.protocol !== 'udp') {
    connection = layer.openConnectionTo(endpoint);
    if (!connection) throw new TransportError('keep-alive: no open connection', endpoint);
    release = connection.hold();
  }
  let stopped = false;
  let intervalTimer: TimerHandle | null = null;
  let pongTimer: TimerHandle | null = null;

  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    if (intervalTimer !== null) clock.clearTimeout(intervalTimer);
    if (pongTimer !== null) clock.clearTimeout(pongTimer);
    layer.pongListeners.delete(onPong);
    unsubscribeError();
    release();
  };
  const onPong = (c: StreamConnection): void => {
    if (c !== connection || pongTimer === null) return;
    clock.clearTimeout(pongTimer);
    pongTimer = null;
  };
  // the connection broke: the layer reports that itself; the keep-alive just ends
  const unsubscribeError = layer.onError((event) => {
    if (connection !== undefined && event.endpoint.connectionId === connection.id) stop();
  });
  layer.pongListeners.add(onPong);

  const ping = (): void => {
    intervalTimer = null;
    if (stopped) return;
    if (connection !== undefined) {
      const c = connection;
      if (pongTimer === null) {
        pongTimer = clock.setTimeout(() => {
          pongTimer = null;
          // RFC 5626 §4.4.1: no pong in time: the flow failed (closing reports it through onError)
          c.close(`keep-alive: no pong within ${pongTimeoutMs} ms`);
        }, pongTimeoutMs);
      }
      c.sendPing().catch(() => undefined);
    } else {
      layer.sendRaw(endpoint, CRLF_CRLF).catch((err: unknown) => {
        layer.emitError({ endpoint, reason: `keep-alive: ${err instanceof Error ? err.message : String(err)}` });
      });
    }
    intervalTimer = clock.setTimeout(ping, intervalMs);
  };
  intervalTimer = clock.setTimeout(ping, intervalMs);
  return stop;
}
