/**
 * RFC 3263 §4.3: "the client SHOULD try the next element" when a target fails. For the first send of a
 * request this helper walks the resolved list (resolveTargets) and stops at the first target the message
 * could be handed to; a TCP/TLS target that refuses the connection or fails the TLS check is skipped.
 * (A UDP target that never answers is the transaction's business: timer B/F then 503/408, and the UAC
 * may try the next target with a new branch, RFC 3263 §4.3.)
 */
import type { SipMessage } from '../message/index.ts';
import { TransportError, type Endpoint, type TransportLayer } from './types.ts';

export interface FailoverResult {
  readonly endpoint: Endpoint;
  /** the targets that failed before, with the reason */
  readonly failures: readonly { readonly target: Endpoint; readonly reason: string }[];
}

export async function sendToFirstReachable(transport: TransportLayer, message: SipMessage, targets: readonly Endpoint[]): Promise<FailoverResult> {
  const failures: { target: Endpoint; reason: string }[] = [];
  for (const target of targets) {
    try {
      return { endpoint: await transport.send(message, target), failures };
    } catch (err) {
      if (!(err instanceof TransportError)) throw err;
      failures.push({ target, reason: err.message });
    }
  }
  const last = targets[targets.length - 1];
  if (last === undefined) throw new Error('sendToFirstReachable: no targets');
  throw new TransportError(`no target reachable: ${failures.map((f) => f.reason).join('; ')}`, last);
}
