/**
 * DTMF in SIP INFO (RFC 6086 INFO, the de-facto `application/dtmf-relay` body: `Signal=5` and
 * `Duration=160` lines, as Cisco, Asterisk and FreeSWITCH send it; and `application/dtmf`, whose body is
 * the key itself). Pure: a body in, a key (0-9 * # A-D) or null out. Signal 10/11 mean * and #.
 */
export const DTMF_INFO_TYPES = ['application/dtmf-relay', 'application/dtmf'] as const;

const KEYS = /^[0-9*#A-D]$/;

function key(raw: string): string | null {
  const v = raw.trim().toUpperCase();
  if (v === '10') return '*';
  if (v === '11') return '#';
  if (/^1[2-5]$/.test(v)) return 'ABCD'[Number(v) - 12] ?? null;
  return KEYS.test(v) ? v : null;
}

/** the key an INFO body carries, or null when the body names none */
export function dtmfOfInfo(contentType: string, body: string): string | null {
  if (body.length > 1024) return null;
  const type = contentType.toLowerCase();
  if (type === 'application/dtmf') return key(body);
  if (type !== 'application/dtmf-relay') return null;
  for (const line of body.split(/\r?\n/)) {
    const m = /^\s*signal\s*=\s*(\S+)\s*$/i.exec(line);
    if (m !== null) return key(m[1] ?? '');
  }
  return null;
}
