/**
 * An account's connectivity in plain words (issue 11): online / connecting / offline with the cause and
 * the next automatic try, for the account chip, the accounts screen and the conversation's banner.
 * Colour is never the only signal: every tone comes with these words.
 */
import type { RegistrationState } from '#shared/domain/account.ts';
import type { ConnectivityCause, ConnectivityDto } from '#shared/domain/connectivity.ts';
import { assertNever } from '#shared/ipc/result.ts';
import { timeOfDay } from './format.ts';
import { registrationWords } from './registration.ts';

export interface ConnectivityView {
  /** short: "online", "connecting…", "offline — PBX unreachable" */
  readonly text: string;
  readonly tone: 'ok' | 'pending' | 'bad' | 'off';
  /** the whole story while not online: the reason, since when, the next try; null when online */
  readonly detail: string | null;
  /** messages sent now wait in the outbox instead of going out */
  readonly waiting: boolean;
  /** a "Try now" makes sense (offline with the account on) */
  readonly canTryNow: boolean;
}

/** the cause of an offline account in a few words (shared/domain/connectivity.ts) */
export function causeWords(cause: ConnectivityCause | null): string {
  switch (cause) {
    case null:
      return 'not connected';
    case 'dns':
      return 'PBX name not found';
    case 'refused':
      return 'connection refused';
    case 'unreachable':
      return 'PBX unreachable';
    case 'tls':
      return 'secure connection failed';
    case 'no-answer':
      return 'PBX not answering';
    case 'auth':
      return 'sign-in refused';
    case 'connection-lost':
      return 'connection lost';
    case 'rejected':
      return 'registration refused';
    case 'server-error':
      return 'PBX error';
    case 'disabled':
      return 'not connected';
    default:
      return assertNever(cause);
  }
}

/** "next try at 12:04 (in 40 s)", "trying again now", or null when none is planned */
export function nextTryWords(nextTryAt: number | null, now: number): string | null {
  if (nextTryAt === null) return null;
  const seconds = Math.ceil((nextTryAt - now) / 1000);
  if (seconds <= 0) return 'trying again now';
  const within = seconds < 120 ? `${String(seconds)} s` : `${String(Math.round(seconds / 60))} min`;
  return `next try at ${timeOfDay(nextTryAt)} (in ${within})`;
}

/**
 * The view of one account. `connectivity` is the main process's verdict; without it (an older host) the
 * registration state alone is shown.
 */
export function connectivityView(
  connectivity: ConnectivityDto | undefined,
  registration: RegistrationState | undefined,
  enabled: boolean,
  now: number,
): ConnectivityView {
  if (!enabled) return { text: 'disabled', tone: 'off', detail: 'The account is turned off: nothing is sent or received.', waiting: true, canTryNow: false };
  if (connectivity === undefined) {
    const r = registrationWords(registration);
    return { ...r, detail: null, waiting: r.tone !== 'ok', canTryNow: false };
  }
  switch (connectivity.state) {
    case 'online':
      return { text: 'online', tone: 'ok', detail: null, waiting: false, canTryNow: false };
    case 'connecting':
      return { text: 'connecting…', tone: 'pending', detail: 'Connecting to the PBX…', waiting: true, canTryNow: false };
    case 'offline': {
      const cause = causeWords(connectivity.cause);
      const reason = connectivity.reason !== null && connectivity.reason !== '' ? connectivity.reason : cause;
      const next = nextTryWords(connectivity.nextTryAt, now);
      const detail = `Offline since ${timeOfDay(connectivity.since)}: ${reason}${next === null ? '' : ` — ${next}`}.`;
      return { text: `offline — ${cause}`, tone: 'bad', detail, waiting: true, canTryNow: connectivity.cause !== 'disabled' };
    }
    default:
      return assertNever(connectivity.state);
  }
}

/** what the conversation says while its account cannot send: messages wait, and when they go out */
export function conversationNotice(view: ConnectivityView): string | null {
  if (!view.waiting) return null;
  if (view.tone === 'pending') return 'Connecting to the PBX… Messages you send wait here and go out as soon as it answers.';
  if (view.tone === 'off' && view.detail !== null) return view.detail;
  return `${view.detail ?? `You are ${view.text}.`} Messages you send wait here and go out when the PBX is back.`;
}

/**
 * The words under a message waiting in the outbox: "Will retry — no answer from the PBX (408)" for one the
 * network lost, "Waiting to send: waiting for the PBX — last tried 12:03, next try 12:04" otherwise.
 */
export function queuedWords(reason: string | null): string {
  if (reason === null || reason === '') return 'Waiting to send';
  if (reason.startsWith('will retry')) return `Will retry${reason.slice('will retry'.length)}`;
  return `Waiting to send: ${reason}`;
}

/** a queued message with a reason is waiting (not just about to go out): it offers Send now and Cancel */
export function isWaiting(message: { readonly direction: string; readonly state: string; readonly reason: string | null }): boolean {
  return message.direction === 'out' && message.state === 'queued' && message.reason !== null && message.reason !== '';
}
