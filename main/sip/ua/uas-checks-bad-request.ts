/**
 * A stateless 400 (or 505) for a request that did not parse (RFC 3261 §8.2, §8.2.6, §16.3 step 1,
 * §21.4.1), built from what the parser could read (SipParseError.partial). Possible only when the
 * start line and Via, From, To, Call-ID and CSeq were read: without them the response could not be
 * routed or matched, and the message is dropped (§18.3 leaves a bad datagram to be discarded).
 */
import { SipResponse, canonicalHeaderName, parseViaList, reasonPhrase } from '../message/index.ts';
import type { PartialMessage, SipParseError } from '../message/index.ts';
import { badRequestReason } from './uas-checks.ts';
import { newTag } from './uac-request.ts';

const COPIED = ['via', 'from', 'to', 'call-id', 'cseq'] as const;

/**
 * The response to a malformed request, or null when none may or can be sent: a response message,
 * an ACK (never answered, §17.2.1), or a missing/unreadable Via, From, To, Call-ID or CSeq.
 * `defect` names the problem in the Reason-Phrase: "Bad Request (missing Call-ID header)".
 */
export function buildBadRequest(
  partial: PartialMessage,
  defect: string,
  options: { readonly status?: number; readonly toTag?: string } = {},
): SipResponse | null {
  if (partial.kind !== 'request' || partial.method === 'ACK') return null;
  const byKey = new Map<string, { name: string; value: string }[]>();
  for (const h of partial.headers) {
    const key = canonicalHeaderName(h.name);
    if (!(COPIED as readonly string[]).includes(key)) continue;
    const list = byKey.get(key) ?? [];
    list.push({ name: h.name, value: h.value });
    byKey.set(key, list);
  }
  for (const key of COPIED) if (!byKey.has(key)) return null;
  // the response goes to the top Via (§18.2.2): it must be readable
  const topVia = byKey.get('via')?.[0];
  if (topVia === undefined || !viaReadable(topVia.value)) return null;
  const status = options.status ?? 400;
  const headers: [string, string][] = [];
  for (const key of COPIED) {
    for (const h of byKey.get(key) ?? []) {
      // §8.2.6.2: a To without a tag gets one
      const value = key === 'to' && !/;\s*tag\s*=/i.test(h.value) ? `${h.value};tag=${options.toTag ?? newTag()}` : h.value;
      headers.push([h.name, value]);
    }
  }
  const reason = status === 400 ? badRequestReason(defect) : reasonPhrase(status);
  return new SipResponse({ status, reason, headers });
}

/** buildBadRequest from the parser's error: status 400 or 505 (bad SIP-Version, §8.2) and its reason. */
export function badRequestFor(error: SipParseError, toTag?: string): SipResponse | null {
  if (error.partial === null) return null;
  return buildBadRequest(error.partial, error.reason, { status: error.status, ...(toTag !== undefined ? { toTag } : {}) });
}

function viaReadable(value: string): boolean {
  try {
    return parseViaList(value).length > 0;
  } catch {
    return false;
  }
}
