import type { SipMessage } from '../message/index.ts';
import type { Endpoint, TransportLayer } from '../transport/types.ts';

/**
 * Passes a message to the transport (§18) without letting a rejected send escape as an unhandled
 * rejection: success reports the endpoint actually used (with its connectionId for streams), failure a
 * reason string for §17.1.4 / §17.2.4.
 */
export function sendThroughTransport(
  transport: TransportLayer,
  message: SipMessage,
  destination: Endpoint,
  onSent: (used: Endpoint) => void,
  onFailed: (reason: string) => void,
): void {
  transport.send(message, destination).then(onSent, (error: unknown) => {
    onFailed(error instanceof Error ? error.message : String(error));
  });
}

/** Whether a transport error about `broken` concerns a transaction using `used`. */
export function sameEndpoint(used: Endpoint, broken: Endpoint): boolean {
  if (broken.connectionId !== undefined) return used.connectionId === broken.connectionId;
  return used.protocol === broken.protocol && used.address === broken.address && used.port === broken.port;
}
