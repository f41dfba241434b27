/**
 * Does a certificate's subjectAltName name the From address? (RFC 3261 §23.3, RFC 8551 §3.1:
 * the receiving UA MUST compare the identity in the certificate with the From header field.)
 * Compares user and host of sip:/sips:/im:/mailto: URIs, host case-insensitively, ignoring params.
 */

function addressOf(uri: string): string | null {
  const open = uri.indexOf('<');
  const close = open >= 0 ? uri.indexOf('>', open) : -1;
  const bare = open >= 0 && close > open ? uri.slice(open + 1, close) : uri;
  const m = /^(sips?|im|mailto):([^;?>]+)/i.exec(bare.trim());
  if (!m?.[2]) return null;
  let rest = m[2];
  const colonPw = rest.indexOf(':');
  const at = rest.lastIndexOf('@');
  if (at < 0) return null;
  if (colonPw >= 0 && colonPw < at) rest = rest.slice(0, colonPw) + rest.slice(at);
  const at2 = rest.lastIndexOf('@');
  const user = decodeURIComponent(rest.slice(0, at2));
  const host = rest.slice(at2 + 1).replace(/:\d+$/, '').toLowerCase();
  return `${user}@${host}`;
}

/** the user@host that a URI names, or null when it names none */
export function addressOfUri(uri: string): string | null {
  try {
    return addressOf(uri);
  } catch {
    return null;
  }
}

export function certificateNamesAddress(altUris: readonly string[], fromUri: string): boolean {
  const from = addressOfUri(fromUri);
  if (!from) return false;
  return altUris.some((u) => addressOfUri(u) === from);
}
