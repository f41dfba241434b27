/**
 * RFC 3261 §18.1.1: "If a request is within 200 bytes of the path MTU, or if it is larger than 1300 bytes
 * and the path MTU is unknown, the request MUST be sent using an RFC 2914 congestion controlled transport
 * protocol, such as TCP. If this causes a change in the transport protocol from the one indicated in the
 * top Via, the value in the top Via MUST be changed."
 *
 * How the UAC uses it: serialize the request (with its final headers), call
 * `chooseTransportForSize({ protocol: target.protocol, size: bytes.length, targetSupportsTcp })`, where
 * `targetSupportsTcp` is true when the resolved target list (RFC 3263, `resolveTargets`) holds a TCP target
 * for the same server (or the account/outbound proxy is configured for TCP). When the answer is 'tcp', send
 * to that TCP target instead; `TransportLayer.send` then rewrites the top Via transport to TCP (§18.1.1).
 * When the target does not support TCP the request goes over UDP anyway (a large datagram may fragment).
 * The rule applies only to requests: responses go back per §18.2.2 whatever their size.
 */
import type { TransportProtocol } from './types.ts';

/** §18.1.1: size limit when the path MTU is unknown */
export const UDP_SIZE_LIMIT_UNKNOWN_MTU = 1300;
/** §18.1.1: margin below a known path MTU */
export const UDP_MTU_MARGIN = 200;

export interface TransportSizeInput {
  /** the transport the target resolution chose */
  readonly protocol: TransportProtocol;
  /** size in bytes of the serialized request */
  readonly size: number;
  /** the next hop also accepts TCP (RFC 3263 resolution found a TCP target, or configuration says so) */
  readonly targetSupportsTcp: boolean;
  /** path MTU when known */
  readonly pathMtu?: number;
}

export function udpSizeLimit(pathMtu?: number): number {
  return pathMtu === undefined ? UDP_SIZE_LIMIT_UNKNOWN_MTU : pathMtu - UDP_MTU_MARGIN;
}

/** Pure decision of §18.1.1: returns the transport to send the request on. */
export function chooseTransportForSize(input: TransportSizeInput): TransportProtocol {
  if (input.protocol !== 'udp') return input.protocol;
  const limit = udpSizeLimit(input.pathMtu);
  // "within 200 bytes of the path MTU" = size >= mtu - 200; "larger than 1300 bytes" = size > 1300
  const tooLarge = input.pathMtu === undefined ? input.size > limit : input.size >= limit;
  return tooLarge && input.targetSupportsTcp ? 'tcp' : 'udp';
}
