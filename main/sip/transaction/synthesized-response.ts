import { createResponse } from '../message/index.ts';
import type { SipRequest, SipResponse } from '../message/index.ts';

/**
 * §8.1.3.1: "If a timeout occurs ... the UAC core MUST treat this as if it had received a 408 (Request
 * Timeout)"; a fatal transport error "SHOULD be treated as a 503 (Service Unavailable)". The transaction
 * layer builds that response locally from the request so the TU handles every failure as a final response.
 */
export function synthesizeTimeout(request: SipRequest): SipResponse {
  return createResponse(request, 408, 'Request Timeout');
}

export function synthesizeTransportError(request: SipRequest): SipResponse {
  return createResponse(request, 503, 'Service Unavailable');
}
