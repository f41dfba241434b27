/**
 * Body formats: what we send (text/plain or message/cpim) and what each peer told us it accepts in
 * the Accept header of a 415 (RFC 3261 §21.4.16), remembered per account and peer for the life of the
 * process.
 */
import type { AccountId } from '#shared/domain/ids.ts';

export const TEXT_PLAIN = 'text/plain;charset=UTF-8';
export const MESSAGE_CPIM = 'message/cpim';

/** The media type of a Content-Type / Accept element, lower-cased, without parameters. */
export function mediaType(value: string): string {
  // what precedes the first ';' (no array per call: it runs for every incoming MESSAGE, issue 18)
  const semi = value.indexOf(';');
  return (semi < 0 ? value : value.slice(0, semi)).trim().toLowerCase();
}

/** true when one of the Accept ranges (RFC 3261 §20.1: type/subtype, type/*, *\/*) covers `type`. */
export function accepts(accept: readonly string[], type: string): boolean {
  const wanted = mediaType(type);
  const major = wanted.split('/', 1)[0] ?? '';
  return accept.some((range) => {
    const r = mediaType(range);
    return r === wanted || r === '*/*' || r === `${major}/*`;
  });
}

export class PeerFormats {
  readonly #accept = new Map<string, readonly string[]>();

  static #key(accountId: AccountId, target: string): string {
    return `${accountId}\n${target.toLowerCase()}`;
  }

  /** Records a 415's Accept; null (no Accept header) is kept as "accepts nothing we know of". */
  remember(accountId: AccountId, target: string, accept: readonly string[] | null): void {
    this.#accept.set(PeerFormats.#key(accountId, target), accept ?? []);
  }

  /** CPIM when the account wants it and the peer has not refused it. */
  useCpim(accountId: AccountId, target: string, accountWantsCpim: boolean): boolean {
    if (!accountWantsCpim) return false;
    const known = this.#accept.get(PeerFormats.#key(accountId, target));
    return known === undefined || accepts(known, MESSAGE_CPIM);
  }
}
