/**
 * S/MIME protection (RFC 3428 §11.3, RFC 8551) as the renderer sees it: cloneable DTOs only.
 * The words a user reads are made in main (describeProtection) and carried in `summary`.
 */
import type { AccountId, ConversationId } from './ids.ts';

/** What the user chose for a conversation; null in storage means "not chosen: the default applies". */
export type ProtectionSetting = 'off' | 'sign' | 'sign+encrypt';

/** What the signature check said (RFC 8551 §3.1, RFC 3261 §23.3: signer must match From). */
export type SignatureStatus = 'verified' | 'sender-mismatch' | 'invalid' | 'weak-algorithm' | 'unsigned';

/** Trust in the signer's certificate: first use, same as before (unverified/verified), or changed. */
export type TrustVerdict = 'first-use' | 'unverified' | 'verified' | 'changed';

/** The protection state of one message bubble. */
export interface MessageProtectionDto {
  readonly encrypted: boolean;
  /** outgoing: 'verified' means "signed by us" */
  readonly signature: SignatureStatus;
  readonly trust: TrustVerdict | null;
  /** the address the signature belongs to (the From of an incoming message, our AOR for outgoing) */
  readonly signer: string | null;
  /** SHA-256 of the signer certificate (hex), when known */
  readonly fingerprint: string | null;
  /** plain words: "signed by bob@… ✓ verified · encrypted" */
  readonly summary: string;
  /** true when the bubble must be shown as NOT trusted (tampered, mismatched, changed certificate) */
  readonly warning: boolean;
}

export interface ConversationProtectionDto {
  readonly conversationId: ConversationId;
  /** the user's choice; null = default (sign+encrypt when we hold the peer's certificate) */
  readonly setting: ProtectionSetting | null;
  /** what the next message will be sent with */
  readonly effective: ProtectionSetting;
  /** a peer that cannot read protected messages makes the message fail instead of going out less protected */
  readonly required: boolean;
  /** plain words for why `effective` differs from the setting, when it does */
  readonly note: string | null;
  readonly peerCertificate: CertificateDto | null;
}

export interface CertificateDto {
  /** the address the certificate is bound to (a contact's, or our account's AOR) */
  readonly address: string;
  /** SHA-256 over the DER certificate, hex */
  readonly fingerprint: string;
  /** the fingerprint as 12 groups of 5 digits, compared out of band (safety number) */
  readonly safetyNumber: string;
  /** subjectAltName URIs */
  readonly names: readonly string[];
  readonly notAfter: number;
  readonly level: 'own' | 'unverified' | 'verified';
  /** a different certificate seen since, not yet accepted: announce loudly */
  readonly pendingChange: { readonly fingerprint: string; readonly safetyNumber: string; readonly seenAt: number } | null;
  readonly learnedAt: number;
}

export interface OwnIdentityDto {
  readonly accountId: AccountId;
  readonly enabled: boolean;
  readonly certificate: CertificateDto;
}
