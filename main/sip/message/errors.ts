import type { PartialMessage } from './types.ts';

/**
 * Malformed SIP input (RFC 3261 §25 grammar or a §8.2/§16.3 check failed).
 * `offset` is the octet offset into the parsed bytes (0 when unknown, e.g. for a lone header value).
 * `partial` holds the start line and the header fields read so far when the start line was readable,
 * so a UAS can still answer (§8.2: 400, or 505 for a bad SIP-Version, §8.2.2.. see `status`).
 */
export class SipParseError extends Error {
  readonly offset: number;
  readonly reason: string;
  readonly partial: PartialMessage | null;
  /** suggested response status for a request: 400, or 505 when the SIP-Version is not 2.0 (§8.2) */
  readonly status: number;

  constructor(reason: string, offset = 0, partial: PartialMessage | null = null, status = 400) {
    super(`${reason} (at offset ${offset})`);
    this.name = 'SipParseError';
    this.reason = reason;
    this.offset = offset;
    this.partial = partial;
    this.status = status;
  }
}

/** Shorthand used by the value parsers: offsets are relative to the value text. */
export function fail(reason: string, offset = 0): never {
  throw new SipParseError(reason, offset);
}
