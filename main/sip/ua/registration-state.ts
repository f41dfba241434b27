/**
 * Registration states for the UI (same shape as shared/domain/account.ts RegistrationState, kept here so
 * main/sip imports nothing outside itself) and the plain words for why a registration failed.
 */
import type { SipResponse } from '../message/index.ts';
import type { AuthFailure } from './credentials-failure.ts';
import { localFailureOf } from './user-agent-failure.ts';

export type RegistrationStatus =
  | { readonly state: 'unregistered' }
  | { readonly state: 'registering' }
  /** `until`: epoch ms when the binding expires unless refreshed */
  | { readonly state: 'registered'; readonly until: number }
  /** `retryAt`: epoch ms of the next automatic attempt, null when none is planned */
  | { readonly state: 'failed'; readonly code: number | null; readonly reason: string; readonly retryAt: number | null };

export interface FailureWords {
  readonly code: number | null;
  readonly reason: string;
  /** worth retrying on its own (network, server trouble) or only after the user changed something */
  readonly transient: boolean;
}

/** Plain words for a final REGISTER response that did not register us. */
export function describeRegisterFailure(response: SipResponse, auth: AuthFailure | null): FailureWords {
  const local = localFailureOf(response);
  if (local !== null) {
    const over = local.protocol === null ? '' : ` over ${local.protocol.toUpperCase()}`;
    if (/certificate/i.test(local.reason)) return { code: null, reason: local.reason, transient: false };
    if (local.kind === 'timeout') return { code: 408, reason: `PBX not answering${over} (408)`, transient: true };
    if (local.kind === 'resolution') return { code: null, reason: `PBX address not found (${local.reason})`, transient: true };
    return { code: null, reason: `PBX unreachable${over} (${local.reason})`, transient: true };
  }
  const status = response.status;
  if (auth !== null) {
    if (auth.reason === 'wrong-credentials') return { code: status, reason: `wrong password (${status})`, transient: false };
    return { code: status, reason: `authentication failed (${status}): ${auth.message}`, transient: false };
  }
  switch (status) {
    case 401:
    case 407:
      return { code: status, reason: `authentication failed (${status})`, transient: false };
    case 403:
      return { code: status, reason: 'forbidden (403)', transient: false };
    case 404:
      return { code: status, reason: 'unknown user (404)', transient: false };
    case 423:
      return { code: status, reason: 'registration interval too short (423)', transient: false };
    default:
      return { code: status, reason: `${response.reason || 'failed'} (${status})`, transient: status >= 500 || status === 408 };
  }
}
