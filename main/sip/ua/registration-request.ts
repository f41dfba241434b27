/**
 * Building REGISTER (RFC 3261 §10.2) and reading what the registrar granted (§10.2.4, §10.3 step 8).
 */
import { isSipUri, parseNameAddr } from '../message/index.ts';
import type { SipRequest, SipResponse } from '../message/index.ts';
import { buildRequest } from './uac-request.ts';
import type { UserAgent } from './user-agent.ts';

export interface RegisterSpec {
  readonly callId: string;
  readonly fromTag: string;
  readonly cseq: number;
  readonly expires: number;
  /** the Contact to bind (refreshes and the unregister reuse the bound one); null = filled per destination */
  readonly contact: string | null;
}

/**
 * §10.2: Request-URI = registrar domain, To = From = the AOR, the same Call-ID for every REGISTER of this
 * UA to this registrar (§10.2.4), CSeq incremented by the caller, Expires header (§10.2.1.1).
 */
export function buildRegister(ua: UserAgent, spec: RegisterSpec): SipRequest {
  const aor = { uri: ua.aor, displayName: ua.displayName };
  const headers: [string, string][] = [['Expires', String(spec.expires)]];
  if (spec.contact !== null) headers.unshift(['Contact', spec.contact]);
  if (ua.userAgentHeader !== null) headers.push(['User-Agent', ua.userAgentHeader]);
  return buildRequest({
    method: 'REGISTER',
    requestUri: ua.registrarUri,
    from: aor,
    to: { uri: ua.aor },
    callId: spec.callId,
    localTag: spec.fromTag,
    cseq: spec.cseq,
    extraHeaders: headers,
  });
}

function hostPortUser(contact: string): string | null {
  try {
    const u = parseNameAddr(contact).uri;
    return isSipUri(u) ? `${(u.user ?? '').toLowerCase()}@${u.host.toLowerCase()}:${u.port ?? ''}` : null;
  } catch {
    return null;
  }
}

/**
 * §10.2.4: the 2xx lists every binding with its expires parameter; ours is the one whose URI matches the
 * Contact we sent. Falls back to the Expires header, then to what we asked for.
 */
export function grantedExpires(response: SipResponse, ourContact: string, requested: number): number {
  const ours = hostPortUser(ourContact);
  for (const value of response.headers.getAll('Contact')) {
    for (const part of splitContacts(value)) {
      if (ours === null || hostPortUser(part) !== ours) continue;
      try {
        const e = parseNameAddr(part).params.get('expires');
        if (e !== undefined && e !== null && /^\d+$/.test(e)) return Number(e);
      } catch {
        // unreadable Contact: keep looking
      }
    }
  }
  try {
    const header = response.expires;
    if (header !== null) return header;
  } catch {
    // malformed Expires: use what we asked for
  }
  return requested;
}

/** splits a Contact header value at top-level commas (not inside <...> or quotes) */
function splitContacts(value: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '"' && value[i - 1] !== '\\') quoted = !quoted;
    else if (!quoted && c === '<') depth++;
    else if (!quoted && c === '>') depth--;
    else if (!quoted && depth === 0 && c === ',') {
      out.push(value.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(value.slice(start).trim());
  return out.filter((s) => s !== '');
}
