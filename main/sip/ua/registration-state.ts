/**
 * Registration states for the UI (same shape as shared/domain/account.ts RegistrationState, kept here so
 * main/sip imports nothing outside itself) and the plain words for why a registration failed.
 */
import type { SipResponse } from '../message/index.ts';
import type { AuthFailure } from './credentials-failure.ts';
import { localFailureOf } from './user-agent-failure.ts';

/**
 * Why an account cannot reach its PBX, for the connectivity state (online / connecting / offline):
 * dns (the name does not resolve), refused (TCP RST), unreachable (ICMP error, RFC 3261 §18.4),
 * tls (a certificate check failed), no-answer (Timer F, §17.1.2.2), auth (credentials refused),
 * connection-lost (an open flow broke or its RFC 5626 §4.4.1 pong is missing), rejected (another final
 * answer from the registrar), server-error (5xx).
 */
export type FailureCause = 'dns' | 'refused' | 'unreachable' | 'tls' | 'no-answer' | 'auth' | 'connection-lost' | 'rejected' | 'server-error';

export type RegistrationStatus =
  | { readonly state: 'unregistered' }
  | { readonly state: 'registering' }
  /** `until`: epoch ms when the binding expires unless refreshed */
  | { readonly state: 'registered'; readonly until: number }
  /** `retryAt`: epoch ms of the next automatic attempt, null when none is planned */
  | {
      readonly state: 'failed';
      readonly code: number | null;
      readonly reason: string;
      readonly retryAt: number | null;
      readonly cause?: FailureCause;
    };

export interface FailureWords {
  readonly code: number | null;
  readonly reason: string;
  /** worth retrying on its own (network, server trouble) or only after the user changed something */
  readonly transient: boolean;
  readonly cause: FailureCause;
}

/** The cause behind transport/resolver words (network-reason.ts, udp-reachability.ts, tls-trust.ts). */
export function causeOfWords(reason: string): FailureCause {
  if (/certificate|tls|handshake|pinned/i.test(reason)) return 'tls';
  if (/icmp|unreachable/i.test(reason)) return 'unreachable';
  if (/refused/i.test(reason)) return 'refused';
  if (/timed out|timeout/i.test(reason)) return 'no-answer';
  return 'connection-lost';
}

/** Plain words for a final REGISTER response that did not register us. */
export function describeRegisterFailure(response: SipResponse, auth: AuthFailure | null): FailureWords {
  const local = localFailureOf(response);
  if (local !== null) {
    const over = local.protocol === null ? '' : ` over ${local.protocol.toUpperCase()}`;
    if (/certificate/i.test(local.reason)) return { code: null, reason: local.reason, transient: false, cause: 'tls' };
    if (local.kind === 'timeout') return { code: 408, reason: `PBX not answering${over} (408)`, transient: true, cause: 'no-answer' };
    if (local.kind === 'resolution') return { code: null, reason: `PBX address not found (${local.reason})`, transient: true, cause: 'dns' };
    return { code: null, reason: `PBX unreachable${over} (${local.reason})`, transient: true, cause: causeOfWords(local.reason) };
  }
  const status = response.status;
  if (auth !== null) {
    if (auth.reason === 'wrong-credentials') return { code: status, reason: `wrong password (${status})`, transient: false, cause: 'auth' };
    return { code: status, reason: `authentication failed (${status}): ${auth.message}`, transient: false, cause: 'auth' };
  }
  switch (status) {
    case 401:
    case 407:
      return { code: status, reason: `authentication failed (${status})`, transient: false, cause: 'auth' };
    case 403:
      return { code: status, reason: 'forbidden (403)', transient: false, cause: 'auth' };
    case 404:
      return { code: status, reason: 'unknown user (404)', transient: false, cause: 'rejected' };
    case 423:
      return { code: status, reason: 'registration interval too short (423)', transient: false, cause: 'rejected' };
    default: {
      const transient = status >= 500 || status === 408;
      const cause: FailureCause = status === 408 ? 'no-answer' : status >= 500 ? 'server-error' : 'rejected';
      return { code: status, reason: `${response.reason || 'failed'} (${status})`, transient, cause };
    }
  }
}
