/**
 * Building the PagerRequest for one stored outgoing message: im: resolved to sip: (RFC 3428 §5), the
 * body as text/plain or wrapped in message/cpim (RFC 3862), Date and Expires (RFC 3428 §7), and the
 * size estimate the RFC 3428 §8 limit is checked against.
 */
import type { AccountDto } from '#shared/domain/account.ts';
import { formatCpim } from '../../sip/ua/cpim.ts';
import type { PagerRequest, PagerSender, PagerWireIds } from './pager.ts';
import { MESSAGE_CPIM, TEXT_PLAIN } from './peer-formats.ts';
import { HEADER_ALLOWANCE } from './split.ts';

/** the notifications our CPIM messages request (RFC 5438 §6.2) */
export const IMDN_REQUEST = 'positive-delivery, display';

/**
 * The Request-URI for a conversation peer. RFC 3428 §5: an im: URI is resolved to a SIP URI before
 * sending; without an RFC 3861 (SRV _im._sip) lookup we map im:user@host to sip:user@host, which is
 * what a PBX serving `host` answers to.
 */
export function resolveTarget(peer: string): string {
  const p = peer.trim();
  if (/^im:/i.test(p)) return `sip:${p.slice(3)}`;
  if (/^sips?:/i.test(p)) return p;
  return `sip:${p}`;
}

export interface OutgoingText {
  readonly text: string;
  readonly createdAt: number;
  readonly expiresAt: number | null;
  readonly cpimMessageId: string;
  /** the stored Call-ID/CSeq/From tag (absent: the stack picks new ones) */
  readonly wire?: PagerWireIds;
}

export function buildPagerRequest(account: AccountDto, target: string, m: OutgoingText, useCpim: boolean): PagerRequest {
  const date = new Date(m.createdAt);
  const body = useCpim
    ? formatCpim({
        from: { uri: account.aor, displayName: account.displayName },
        to: { uri: target },
        dateTime: date,
        messageId: m.cpimMessageId,
        // RFC 5438 §7.1.1.3: ask for delivery and display notifications (receipts); peers without
        // IMDN support ignore the header (RFC 3862 §3.3: unknown name-spaced headers are ignored)
        dispositionNotification: IMDN_REQUEST,
        content: m.text,
      })
    : Buffer.from(m.text, 'utf8');
  return {
    accountId: account.id,
    target,
    body,
    contentType: useCpim ? MESSAGE_CPIM : TEXT_PLAIN,
    expiresSeconds: m.expiresAt === null ? null : Math.max(0, Math.round((m.expiresAt - m.createdAt) / 1000)),
    date,
    dialog: null,
    ...(m.wire ? { wire: m.wire } : {}),
  };
}

/** The whole request's size in octets: the sender's estimate, or body + HEADER_ALLOWANCE. */
export function requestSize(sender: PagerSender, request: PagerRequest): number {
  return sender.estimateRequestSize?.(request) ?? request.body.length + HEADER_ALLOWANCE;
}
