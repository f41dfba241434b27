import { isDigit } from './chars.ts';
import { fail } from './errors.ts';
import { Cursor, formatParams, parseHeaderParams, scanHost } from './params.ts';
import type { Params, Via } from './types.ts';

/**
 * via-parm = sent-protocol LWS sent-by *( SEMI via-params ) (RFC 3261 §20.42, §25.1),
 * sent-protocol = protocol-name SLASH protocol-version SLASH transport, LWS allowed around '/'.
 */
export function parseViaAt(c: Cursor): Via {
  const s = c.s;
  c.ws();
  const name = c.token('protocol name');
  slash(c);
  const version = c.token('protocol version');
  slash(c);
  const transport = c.token('transport').toUpperCase();
  const before = c.i;
  c.ws();
  if (c.i === before) fail('expected LWS before sent-by', c.i);
  const hostStart = c.i;
  const hostEnd = scanHost(s, hostStart, s.length);
  if (hostEnd < 0) fail('bad sent-by host', hostStart);
  const host = s.slice(hostStart, hostEnd);
  c.i = hostEnd;
  c.ws();
  let port: number | null = null;
  if (c.peek() === 58) {
    c.i++;
    c.ws();
    const ps = c.i;
    let n = 0;
    while (c.i < s.length && isDigit(s.charCodeAt(c.i))) n = n * 10 + (s.charCodeAt(c.i++) - 48);
    if (c.i === ps || c.i - ps > 5 || n > 65535) fail('bad sent-by port', ps);
    port = n;
  }
  const params: Params = new Map();
  parseHeaderParams(c, params);
  const rportRaw = params.get('rport');
  let rport: number | null | undefined;
  if (rportRaw === undefined) rport = undefined;
  else if (rportRaw === null) rport = null;
  else {
    const n = Number(rportRaw);
    if (!/^\d{1,5}$/.test(rportRaw) || n > 65535) fail('bad rport', c.i);
    rport = n;
  }
  return {
    protocol: `${name}/${version}`,
    transport,
    host,
    port,
    params,
    branch: params.get('branch') ?? null,
    received: params.get('received') ?? null,
    rport,
  };
}

function slash(c: Cursor): void {
  c.ws();
  if (c.peek() !== 47) fail("expected '/' in sent-protocol", c.i);
  c.i++;
  c.ws();
}

/** All Via values of one header field (comma-separated, §7.3.1). */
export function parseViaList(text: string, into: Via[] = []): Via[] {
  const c = new Cursor(text);
  for (;;) {
    into.push(parseViaAt(c));
    c.ws();
    if (c.done) return into;
    if (c.peek() !== 44) fail("expected ',' between Via values", c.i);
    c.i++;
  }
}

/** A single Via value. */
export function parseVia(text: string): Via {
  const list = parseViaList(text);
  if (list.length !== 1 || list[0] === undefined) fail('expected one Via value', 0);
  return list[0];
}

export function formatVia(v: Via): string {
  const port = v.port === null ? '' : `:${v.port}`;
  return `${v.protocol}/${v.transport} ${v.host}${port}${formatParams(v.params)}`;
}
