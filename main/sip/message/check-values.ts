import { MAX_UINT32, isDigit, parseBoundedIntIn } from './chars.ts';
import { fail, SipParseError } from './errors.ts';
import { splitTopLevel } from './header-names.ts';
import { checkAuthParams } from './auth-params.ts';
import { parseEvent, parseMediaType, parseSubscriptionState, parseTimestamp, scanTokenList } from './header-values.ts';
import { checkNameAddrList } from './name-addr.ts';
import { Cursor, parseHeaderParams } from './params.ts';

/**
 * Parse-time checks of the header fields the stack reads beyond the ones every element needs
 * (parse-headers.ts): "accepted means usable" (issue 18) — a message that parses has no field whose
 * typed getter throws. Each check runs the getter's own parser on the field, so both agree.
 * Throws SipParseError; does nothing for a key it does not know. Returns true when the field's scanner
 * admits no control octet (§25.1: tokens, quoted-strings, LWS), so it needs no separate CTL scan.
 */
export function checkReadHeader(key: string, s: string, a: number, b: number): boolean {
  try {
    return checkValue(key, s, a, b);
  } catch (e) {
    if (e instanceof SipParseError) throw new SipParseError(`${canonicalLabel(key)}: ${e.reason}`, e.offset);
    throw e;
  }
}

/** Require, WWW-Authenticate, Call-ID... from a canonical key */
function canonicalLabel(key: string): string {
  if (key === 'www-authenticate') return 'WWW-Authenticate';
  return key.replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase());
}

function checkValue(key: string, s: string, a: number, b: number): boolean {
  switch (key) {
    case 'route':
    case 'record-route':
      // rec-route / route = name-addr *( SEMI rr-param ) (§20.30, §20.34)
      checkNameAddrList(s, a, b);
      return true;
    case 'www-authenticate':
    case 'proxy-authenticate':
    case 'authorization':
    case 'proxy-authorization':
      // challenge / credentials (§20.7, §20.27, §20.28, §20.44)
      checkAuthParams(s, a, b, true);
      return true;
    case 'authentication-info':
      checkAuthParams(s, a, b, false);
      return true;
    case 'require':
    case 'supported':
    case 'allow':
    case 'proxy-require':
    case 'unsupported':
    case 'content-encoding':
    case 'content-language':
      // option-tag / Method / content-coding / language-tag lists (§20.5, §20.12, §20.13, §20.29, §20.32, §20.37, §20.40)
      scanTokenList(s, a, b, null);
      return true;
    case 'accept':
      // Accept = [ accept-range *(COMMA accept-range) ] (§20.1)
      for (const part of splitTopLevel(s.slice(a, b))) parseMediaType(part);
      return true;
    case 'event':
      parseEvent(s.slice(a, b)); // RFC 6665 §8.2.1
      return true;
    case 'subscription-state':
      parseSubscriptionState(s.slice(a, b)); // RFC 6665 §8.2.3
      return true;
    case 'timestamp':
      parseTimestamp(s.slice(a, b)); // §20.38 (its LWS scan would let CR/LF through)
      return false;
    case 'session-expires':
      checkDeltaWithParams(s, a, b); // RFC 4028 §4: delta-seconds *( SEMI se-params )
      return true;
    case 'content-disposition':
      checkTokenWithParams(s, a, b); // disp-type *( SEMI disp-param ) (§20.11)
      return true;
  }
  return false;
}

function checkDeltaWithParams(s: string, a: number, b: number): void {
  const c = Cursor.over(s, a, b);
  c.ws();
  const start = c.i;
  while (c.i < b && isDigit(s.charCodeAt(c.i))) c.i++;
  if (parseBoundedIntIn(s, start, c.i, MAX_UINT32) < 0) fail('not a 32-bit delta-seconds', start);
  parseHeaderParams(c, null);
  c.ws();
  if (!c.done) fail('junk after delta-seconds', c.i);
}

function checkTokenWithParams(s: string, a: number, b: number): void {
  const c = Cursor.over(s, a, b);
  c.ws();
  c.skipToken('disposition type');
  parseHeaderParams(c, null);
  c.ws();
  if (!c.done) fail('junk after disposition type', c.i);
}
