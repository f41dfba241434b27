import type { AccountId } from './ids.ts';

/** What the UI shows for a person: a dot and a word (RFC 3863 basic status + RFC 4480 activities). */
export type Availability = 'available' | 'away' | 'busy' | 'in-call' | 'offline';

/** what the user chose; `auto` = available, away when idle; in a call is always automatic */
export type PresenceMode = 'auto' | 'away' | 'busy' | 'offline';

export interface OwnPresenceDto {
  readonly mode: PresenceMode;
  readonly note: string;
  /** what we publish now (offline when sharing with nobody) */
  readonly availability: Availability;
}

/** A contact's presence as seen through one account's subscription (RFC 6665 / RFC 3856). */
export interface PeerPresenceDto {
  readonly accountId: AccountId;
  /** normalized address, as conversations store it */
  readonly peer: string;
  readonly availability: Availability;
  readonly note: string | null;
  /** `unknown` until the first NOTIFY; `denied` when the contact refused to share */
  readonly subscription: 'unknown' | 'active' | 'pending' | 'denied';
}

/** Presence support of an account's PBX: `unsupported` after a 489/405/501 (said once, no more tries). */
export interface AccountPresenceDto {
  readonly accountId: AccountId;
  readonly support: 'unknown' | 'supported' | 'unsupported';
  /** plain words for the account status, e.g. "presence is not supported by the PBX (489)" */
  readonly summary: string | null;
  /**
   * where watchers of our presence are authorized, in plain words, once known: by the PBX with the user's
   * Allow/Block choices (RFC 5025 pres-rules stored over XCAP), or why the choices could not be stored there
   */
  readonly authorization?: string | null;
}

export interface PresenceSnapshot {
  readonly own: OwnPresenceDto;
  readonly peers: readonly PeerPresenceDto[];
  readonly accounts: readonly AccountPresenceDto[];
}

/** The user's answer to a watcher of our presence (RFC 3856 §6.6 authorization). */
export type WatcherDecision = 'allow' | 'block';

/** A watcher of our presence: a pending request (a contact waiting for the user's answer) or a decision. */
export interface WatcherDto {
  /** normalized address, as contacts store it */
  readonly address: string;
  readonly decision: 'pending' | WatcherDecision;
  /** its live subscriptions (dialogs) right now */
  readonly watching: number;
}
