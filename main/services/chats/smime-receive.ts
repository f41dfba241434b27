/**
 * Receiving an S/MIME protected MESSAGE (RFC 3428 §11.3): decrypt, verify the signer against From,
 * consult the trust store (TOFU / changed certificate) and the replay guard (RFC 3428 §11.2), then hand
 * the inner entity to the ordinary body decoding. Cryptography lives in main/security; this is policy.
 * Answers: 493 Undecipherable when we cannot decrypt (RFC 3261 §23.2), 400 with a reason phrase for a
 * replay or a malformed body (recorded in diagnostics). A tampered or mismatched message is KEPT and
 * flagged, never shown as trusted.
 */
import { addressOfUri } from '../../security/address-match.ts';
import type { ReplayGuard } from '../../security/replay-guard.ts';
import { openProtectedMessage, type OwnIdentity, UnprotectError } from '../../security/smime-message.ts';
import { decodeTransfer, TransferEncodingError } from '../../security/smime-transfer.ts';
import type { TrustStore, TrustVerdict } from '../../security/trust-store.ts';
import type { MessageProtectionDto } from '#shared/domain/security.ts';
import type { IncomingPagerMessage, ReceiveAnswer } from './pager.ts';

/** What the bubble says, in plain words (signed by … ✓ verified / encrypted / signature invalid …). */
export interface MessageProtection {
  readonly encrypted: boolean;
  readonly signature: 'verified' | 'sender-mismatch' | 'invalid' | 'weak-algorithm' | 'unsigned';
  /** trust in the signer's certificate; null when the signature did not verify */
  readonly trust: TrustVerdict | null;
  readonly signer: string | null;
  readonly fingerprint: string | null;
}

export interface SmimeReceiveDeps {
  /** our S/MIME identity for the account, unsealed; undefined when the account has none */
  readonly identity: (accountId: string) => Promise<OwnIdentity | undefined>;
  readonly trust: TrustStore;
  readonly replay: ReplayGuard;
  readonly diagnostics: (event: string, detail: Record<string, unknown>) => void;
}

export type SmimeOpened =
  | { readonly ok: true; readonly message: IncomingPagerMessage; readonly protection: MessageProtection }
  | { readonly ok: false; readonly answer: ReceiveAnswer };

export function isSmime(contentType: string | null): boolean {
  const t = contentType?.split(';')[0]?.trim().toLowerCase();
  return t === 'application/pkcs7-mime' || t === 'application/x-pkcs7-mime';
}

/** Plain words for a bubble. */
export function describeProtection(p: MessageProtection): string {
  const parts: string[] = [];
  if (p.signature === 'verified') {
    const who = p.signer ?? 'the sender';
    if (p.trust === 'verified') parts.push(`signed by ${who} ✓ verified`);
    else if (p.trust === 'changed') parts.push(`signed by ${who} with a NEW certificate — check it before trusting this message`);
    else parts.push(`signed by ${who} (not verified yet)`);
  } else if (p.signature === 'sender-mismatch') parts.push('sender mismatch: signed by someone else than the sender');
  else if (p.signature === 'invalid') parts.push('signature invalid: the message was altered');
  else if (p.signature === 'weak-algorithm') parts.push('signature uses a weak algorithm: not trusted');
  else parts.push('not signed');
  if (p.encrypted) parts.push('encrypted');
  return parts.join(' · ');
}

/** The bubble state stored with the message: plain words, and whether it must be shown as NOT trusted. */
export function protectionDto(p: MessageProtection): MessageProtectionDto {
  const warning = p.signature !== 'verified' || p.trust === 'changed';
  return { ...p, summary: describeProtection(p), warning };
}

export async function openIncomingSmime(deps: SmimeReceiveDeps, accountId: string, m: IncomingPagerMessage): Promise<SmimeOpened> {
  const peer = addressOfUri(m.from);
  let opened;
  try {
    const me = await deps.identity(accountId);
    const known = peer ? deps.trust.certificateFor(peer) : undefined;
    // binary or base64 (RFC 8551 §3.1.3), also when a store-and-forward server dropped the header
    const der = decodeTransfer(m.body, m.contentTransferEncoding);
    opened = await openProtectedMessage(der, m.contentType ?? '', m.from, me, known ? [known] : []);
  } catch (err) {
    if (err instanceof TransferEncodingError) {
      deps.diagnostics('smime-rejected', { from: m.from, callId: m.callId, status: 400, reason: err.message });
      return { ok: false, answer: { status: 400, reason: 'Malformed S/MIME Body' } };
    }
    if (err instanceof UnprotectError) {
      deps.diagnostics('smime-rejected', { from: m.from, callId: m.callId, status: err.status, reason: err.message });
      if (err.status === 415) return { ok: false, answer: { status: 400, reason: 'Malformed S/MIME Body' } };
      return { ok: false, answer: { status: err.status, reason: err.status === 493 ? 'Undecipherable' : 'Malformed S/MIME Body' } };
    }
    throw err;
  }
  const inner = opened.inner;
  if (!inner) {
    deps.diagnostics('smime-rejected', { from: m.from, callId: m.callId, status: 400, reason: 'no inner MIME entity with a Date' });
    return { ok: false, answer: { status: 400, reason: 'Protected Message Without Date' } };
  }
  let trust: TrustVerdict | null = null;
  if (opened.signature === 'verified' && peer && opened.signerCertificate && opened.signerFingerprint) {
    trust = deps.trust.observe(peer, opened.signerCertificate, opened.signerFingerprint);
    // replay protection only means something for an authentic message (RFC 3428 §11.2)
    const verdict = deps.replay.check({
      signer: opened.signerFingerprint,
      date: inner.date,
      messageId: inner.messageId,
      digest: opened.digest ?? '',
      expires: m.expiresSeconds ?? undefined,
    });
    if (!verdict.ok) {
      deps.diagnostics('smime-replay', { from: m.from, callId: m.callId, reason: verdict.reason, date: inner.date.toISOString() });
      return { ok: false, answer: { status: 400, reason: verdict.reason } };
    }
  } else {
    deps.diagnostics('smime-untrusted', { from: m.from, callId: m.callId, signature: opened.signature, reason: opened.reason });
  }
  const protection: MessageProtection = {
    encrypted: opened.encrypted,
    signature: opened.signature,
    trust,
    signer: peer,
    fingerprint: opened.signerFingerprint ?? null,
  };
  return {
    ok: true,
    protection,
    message: { ...m, body: Buffer.from(inner.body), contentType: inner.contentType, date: m.date ?? inner.date },
  };
}
