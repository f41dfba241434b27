/**
 * Pure rules for links (no Electron here, so they are unit-tested): which external URLs may be opened,
 * and how a sip:/sips:/im: link handed to the app (argv on Windows/Linux, open-url on macOS) becomes an
 * address to chat with.
 */
export const PROTOCOLS = ['sip', 'sips', 'im'] as const;

/** Only http(s) and mailto leave the app, through the OS (shell.openExternal). */
export function isSafeExternalUrl(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.protocol === 'mailto:') return url.pathname.length > 0;
  return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname.length > 0;
}

/**
 * The address in a protocol link, or null when it is not one of ours. `sip:bob@example.com`,
 * `sips:bob@example.com;transport=tls`, `im:bob@example.com` (RFC 3428 §5) are accepted; a `//` after the
 * scheme (some browsers add it) is dropped; URI headers (`?subject=..`) are removed.
 */
export function addressFromLink(raw: string): string | null {
  const m = /^(sips?|im):(?:\/\/)?([^\s?]+)/i.exec(raw.trim());
  if (!m || !m[1] || !m[2]) return null;
  // %-escapes stay as written: they are part of the SIP URI (RFC 3261 §19.1.2)
  const rest = m[2];
  if (!/^[^@\s<>"]+@[^@\s<>"]+$/.test(rest.split(';')[0] ?? '')) return null;
  return `${m[1].toLowerCase()}:${rest}`;
}

/** Finds a protocol link among process arguments (second-instance argv, first launch argv). */
export function addressFromArgv(argv: readonly string[]): string | null {
  for (const arg of argv) {
    const address = addressFromLink(arg);
    if (address) return address;
  }
  return null;
}
