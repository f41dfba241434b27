/**
 * Locally synthesized final responses (RFC 3261 §8.1.3.1: a timeout is a 408, a transport failure a 503)
 * carry no words about the cause; the UA remembers them per response object so callers (registration,
 * diagnostics) can tell "connection refused over TLS" from "certificate not trusted".
 */
import { createResponse } from '../message/index.ts';
import type { SipRequest, SipResponse } from '../message/index.ts';
import type { TransportProtocol } from '../transport/index.ts';

export interface LocalFailure {
  readonly kind: 'timeout' | 'transport' | 'resolution';
  /** the transport we tried, when known */
  readonly protocol: TransportProtocol | null;
  /** transport/resolver words, e.g. "certificate not trusted (self-signed)" */
  readonly reason: string;
}

const failures = new WeakMap<SipResponse, LocalFailure>();

export function markLocalFailure(response: SipResponse, failure: LocalFailure): SipResponse {
  failures.set(response, failure);
  return response;
}

/** The local cause of a synthesized 408/503, or null for a response that came from the network. */
export function localFailureOf(response: SipResponse): LocalFailure | null {
  return failures.get(response) ?? null;
}

/** A 503 built here because no target could be resolved or reached (§8.1.3.1). */
export function synthesized503(request: SipRequest, failure: LocalFailure): SipResponse {
  return markLocalFailure(createResponse(request, 503, 'Service Unavailable'), failure);
}
