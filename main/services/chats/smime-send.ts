/**
 * Sending policy for S/MIME protected MESSAGEs (RFC 3428 §11.3), per conversation:
 * off / sign / sign and encrypt. Default: sign and encrypt when we hold the peer's certificate and the
 * account enables S/MIME. A 415 from a peer that cannot handle application/pkcs7-mime falls back only
 * when the user did not make protection required: we never silently send clear text then.
 */
import { type OwnIdentity, protectMessage, type ProtectionMode } from '../../security/smime-message.ts';
import { encodeTransfer, SEND_TRANSFER_ENCODING } from '../../security/smime-transfer.ts';
import type { PagerRequest } from './pager.ts';

import type { AccountId } from '#shared/domain/ids.ts';
import type { MessageProtectionDto, ProtectionSetting } from '#shared/domain/security.ts';
import type { ConversationProtectionRow, SmimeIdentityRecord } from '../../storage/smime-repository.ts';

export type { ProtectionSetting };

/** How the next message of a conversation goes out. */
export type SendPlan =
  | { readonly mode: 'off'; readonly required: false }
  | {
      readonly mode: 'sign' | 'sign+encrypt';
      readonly required: boolean;
      readonly me: OwnIdentity;
      readonly peerCertificate: Uint8Array | undefined;
      /** our AOR, named in our certificate */
      readonly signer: string;
    }
  /** protection is required but cannot be applied (no key, keychain locked, no peer certificate): never send in clear */
  | { readonly mode: 'blocked'; readonly reason: string };

/** What a send plan is decided from: rows the outbox read while marking the message sending (issue 18). */
export interface SendPlanInputs {
  readonly accountId: AccountId;
  /** the account's AOR, named in our certificate */
  readonly aor: string;
  readonly peer: string;
  /** the conversation's protection setting (null: no row, the default) */
  readonly protection: ConversationProtectionRow | null;
  readonly identity: SmimeIdentityRecord | null;
}

/** What the outbox needs from the S/MIME service. */
export interface SmimeSender {
  planFrom(read: SendPlanInputs): Promise<SendPlan>;
}

/** The bubble state of a message we protected. */
export function outgoingProtection(mode: 'sign' | 'sign+encrypt', signer: string): MessageProtectionDto {
  return {
    encrypted: mode === 'sign+encrypt',
    signature: 'verified',
    trust: null,
    signer,
    fingerprint: null,
    summary: mode === 'sign+encrypt' ? 'signed by you · encrypted' : 'signed by you (not encrypted)',
    warning: false,
  };
}

/** The bubble state of a message that went out in clear after the peer refused protection (415). */
export const SENT_IN_CLEAR: MessageProtectionDto = {
  encrypted: false,
  signature: 'unsigned',
  trust: null,
  signer: null,
  fingerprint: null,
  summary: 'sent without protection: the recipient cannot read protected messages',
  warning: true,
};

export interface ConversationProtection {
  /** null: the user has not chosen; the default applies */
  readonly setting: ProtectionSetting | null;
  /** the user made it required: a 415 fails the message instead of sending it less protected */
  readonly required: boolean;
}

export function effectiveProtection(c: ConversationProtection, accountEnabled: boolean, havePeerCertificate: boolean): ProtectionSetting {
  if (!accountEnabled) return 'off';
  if (c.setting === null) return havePeerCertificate ? 'sign+encrypt' : 'sign';
  if (c.setting === 'sign+encrypt' && !havePeerCertificate) return 'sign'; // cannot encrypt yet; caller shows why
  return c.setting;
}

/** What to do after a 415 to a protected MESSAGE. */
export type FallbackDecision = { readonly retryWith: ProtectionSetting } | { readonly fail: string };

export function afterUnsupported(sent: ProtectionSetting, c: ConversationProtection, peerAccepts: readonly string[] | null): FallbackDecision {
  if (sent === 'off') return { fail: 'the recipient refused the message format' };
  if (c.required) return { fail: 'the recipient cannot read protected messages, and this conversation requires protection' };
  const takesSmime = peerAccepts?.some((t) => /^application\/(x-)?pkcs7-mime\b/i.test(t.trim())) ?? false;
  // a peer that lists pkcs7-mime in Accept but refused it: don't downgrade, something else is wrong
  if (takesSmime) return { fail: 'the recipient refused the protected message' };
  return { retryWith: 'off' };
}

export interface ProtectedPagerRequest extends PagerRequest {
  /** RFC 3261 §23.4.3: Content-Disposition of the S/MIME body */
  readonly contentDisposition: string;
  /** RFC 8551 §3.1.3 / RFC 5621 §3.2: base64, so that store-and-forward servers keep it whole */
  readonly contentTransferEncoding: string;
}

/**
 * Wrap a built request: its body becomes the signed inner entity (own Date, and the CPIM Message-ID
 * when there is one), enveloped for the peer and ourselves when encrypting, then base64 transfer-encoded
 * (smime-transfer.ts: msilo and other store-and-forward servers cut a binary body at its first NUL).
 * The returned body is the real size on the wire: the RFC 3428 §8 1300-byte rule is applied to it by the outbox.
 */
export async function protectPagerRequest(
  request: PagerRequest,
  mode: Exclude<ProtectionSetting, 'off'>,
  me: OwnIdentity,
  peerCertificate: Uint8Array | undefined,
  messageId: string | undefined,
): Promise<ProtectedPagerRequest> {
  const p = await protectMessage(
    { contentType: request.contentType, date: request.date, messageId, body: request.body },
    mode as ProtectionMode,
    me,
    peerCertificate,
  );
  return {
    ...request,
    body: Buffer.from(encodeTransfer(p.body, SEND_TRANSFER_ENCODING)),
    contentType: p.contentType,
    contentDisposition: p.contentDisposition,
    contentTransferEncoding: SEND_TRANSFER_ENCODING,
  };
}
