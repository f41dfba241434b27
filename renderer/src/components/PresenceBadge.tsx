import type { ReactNode } from 'react';
import type { AccountId } from '#shared/domain/ids.ts';
import type { Availability } from '#shared/domain/presence.ts';
import { presenceKey } from '../store/presence-slice.ts';
import { useApp } from '../store/use-app.ts';

const WORDS: Readonly<Record<Availability, string>> = {
  available: 'available',
  away: 'away',
  busy: 'busy',
  'in-call': 'in a call',
  offline: 'offline',
};

/** plain words for a presence, with the note when there is one */
export function presenceWords(availability: Availability, note: string | null): string {
  return note ? `${WORDS[availability]} — ${note}` : WORDS[availability];
}

/** user@host with the host lower-cased, without scheme, brackets or parameters (as main matches addresses) */
function looseKey(address: string): string {
  let a = address.trim();
  const lt = a.lastIndexOf('<');
  if (lt >= 0) a = a.slice(lt + 1);
  const gt = a.indexOf('>');
  if (gt >= 0) a = a.slice(0, gt);
  a = (a.replace(/^(?:sips?|im|pres):/i, '').split(/[;?]/, 1)[0] ?? '').trim();
  const at = a.lastIndexOf('@');
  return at < 0 ? a.toLowerCase() : `${a.slice(0, at)}@${a.slice(at + 1).toLowerCase()}`;
}

/**
 * A contact's presence (RFC 3856) as a dot and words; nothing while it is unknown (no subscription
 * yet, or the PBX does not support presence), "not shared" when the contact refused.
 */
export function PresenceBadge({ accountId, peer }: { readonly accountId: AccountId | null; readonly peer: string }): ReactNode {
  const p = useApp((s) => {
    const exact = accountId === null ? undefined : s.peerPresence[presenceKey(accountId, peer)];
    if (exact !== undefined) return exact;
    const k = looseKey(peer);
    return Object.values(s.peerPresence).find((x) => (accountId === null || x.accountId === accountId) && looseKey(x.peer) === k);
  });
  if (p === undefined || p.subscription === 'unknown') return null;
  if (p.subscription === 'denied') return <span className="presence presence-denied muted small">presence not shared</span>;
  const words = presenceWords(p.availability, p.note);
  return (
    <span className={`presence presence-${p.availability} small`}>
      <span className="presence-dot" aria-hidden="true" />
      <span>{words}</span>
    </span>
  );
}
