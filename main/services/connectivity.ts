/**
 * The connectivity of an account (shared/domain/connectivity.ts) from its registration state: online while
 * registered, connecting while a REGISTER is on its way, offline with the cause and the next try after a
 * failure. Pure, so the rules are tested without sockets.
 */
import type { RegistrationState } from '#shared/domain/account.ts';
import type { ConnectivityCause, ConnectivityDto } from '#shared/domain/connectivity.ts';
import type { AccountId, EpochMs } from '#shared/domain/ids.ts';

/** The registration state as the stack reports it: a failure may say why (registration-state.ts). */
export type RegistrationWithCause = RegistrationState & { readonly cause?: ConnectivityCause };

export function connectivityOf(
  accountId: AccountId,
  registration: RegistrationWithCause,
  previous: ConnectivityDto | null,
  now: number,
): ConnectivityDto {
  let next: Omit<ConnectivityDto, 'since'>;
  switch (registration.state) {
    case 'registered':
      next = { accountId, state: 'online', cause: null, reason: null, nextTryAt: null };
      break;
    case 'registering':
      // a new try while offline is still offline ("trying again now", nextTryAt = now), with the same
      // cause and since: the account does not flicker offline → connecting → offline every few seconds
      next =
        previous !== null && previous.state === 'offline' && previous.cause !== 'disabled'
          ? { accountId, state: 'offline', cause: previous.cause, reason: previous.reason, nextTryAt: now as EpochMs }
          : { accountId, state: 'connecting', cause: null, reason: null, nextTryAt: null };
      break;
    case 'failed':
      next = {
        accountId,
        state: 'offline',
        cause: registration.cause ?? 'rejected',
        reason: registration.reason,
        nextTryAt: registration.retryAt,
      };
      break;
    case 'unregistered':
      next = { accountId, state: 'offline', cause: 'disabled', reason: 'not connected', nextTryAt: null };
      break;
  }
  // `since` is when the account entered this state: a retry planned anew while offline keeps it
  const same = previous !== null && previous.state === next.state && (next.state !== 'offline' || previous.cause === next.cause);
  return { ...next, since: same ? previous.since : now };
}

/** true when the DTO changed in anything the user sees */
export function connectivityChanged(a: ConnectivityDto | null, b: ConnectivityDto): boolean {
  return a === null || a.state !== b.state || a.cause !== b.cause || a.reason !== b.reason || a.nextTryAt !== b.nextTryAt || a.since !== b.since;
}
