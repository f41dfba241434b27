/** What the user shares with others (settings → Privacy). */
export interface PrivacySettings {
  /** "typing…" to the peer (RFC 3994 is-composing) */
  readonly sendTyping: boolean;
  /** read receipts: IMDN display notifications (RFC 5438 §7.2.1.2); delivery receipts are always sent */
  readonly sendReadReceipts: boolean;
  /** who may watch our presence (RFC 3856): the contacts the user allowed, or nobody */
  readonly sharePresence: 'contacts' | 'nobody';
}

export const DEFAULT_PRIVACY: PrivacySettings = { sendTyping: true, sendReadReceipts: true, sharePresence: 'contacts' };
