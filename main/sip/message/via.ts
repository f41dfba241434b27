import { isDigit } from './chars.ts';
import { fail } from './errors.ts';
import { Cursor, PARAM_RULE_RPORT, formatParams, headerParamsOf, parseHeaderParams, scanHost } from './params.ts';
import type { Params, Via } from './types.ts';

/**
 * via-parm = sent-protocol LWS sent-by *( SEMI via-params ) (RFC 3261 §20.42, §25.1),
 * sent-protocol = protocol-name SLASH protocol-version SLASH transport, LWS allowed around '/'.
 * build false: check only (nothing allocated), returns null.
 */
export function parseViaAt(c: Cursor, build = true): Via | null {
  const s = c.s;
  c.ws();
  const ns = c.skipToken('protocol name');
  const ne = c.i;
  slash(c);
  const vs = c.skipToken('protocol version');
  const ve = c.i;
  slash(c);
  const ts = c.skipToken('transport');
  const te = c.i;
  c.ws();
  if (c.i === te) fail('expected LWS before sent-by', c.i);
  const hostStart = c.i;
  const hostEnd = scanHost(s, hostStart, c.end);
  if (hostEnd < 0) fail('bad sent-by host', hostStart);
  c.i = hostEnd;
  c.ws();
  let port: number | null = null;
  if (c.peek() === 58) {
    c.i++;
    c.ws();
    const ps = c.i;
    let n = 0;
    while (c.i < c.end && isDigit(s.charCodeAt(c.i))) n = n * 10 + (s.charCodeAt(c.i++) - 48);
    if (c.i === ps || c.i - ps > 5 || n > 65535) fail('bad sent-by port', ps);
    port = n;
  }
  if (!build) {
    parseHeaderParams(c, null, PARAM_RULE_RPORT);
    return null;
  }
  const params: Params = headerParamsOf(c, PARAM_RULE_RPORT);
  const rportRaw = params.get('rport');
  return {
    protocol: ne - ns === 3 && ve - vs === 3 && s.startsWith('SIP', ns) && s.startsWith('2.0', vs) ? 'SIP/2.0' : `${s.slice(ns, ne)}/${s.slice(vs, ve)}`,
    transport: transportName(s, ts, te),
    host: s.slice(hostStart, hostEnd),
    port,
    params,
    branch: params.get('branch') ?? null,
    received: params.get('received') ?? null,
    rport: rportRaw === undefined || rportRaw === null ? rportRaw : Number(rportRaw),
  };
}

/** upper-case transport; the usual ones without a new string */
function transportName(s: string, from: number, to: number): string {
  if (to - from === 3) {
    if (s.startsWith('UDP', from)) return 'UDP';
    if (s.startsWith('TCP', from)) return 'TCP';
    if (s.startsWith('TLS', from)) return 'TLS';
  }
  return s.slice(from, to).toUpperCase();
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
    into.push(parseViaAt(c) as Via);
    c.ws();
    if (c.done) return into;
    if (c.peek() !== 44) fail("expected ',' between Via values", c.i);
    c.i++;
  }
}

/**
 * Checks the Via values in s[from,to) (parse time, §8.2, RFC 4475 §3.1.2); only the first value is
 * built, when `buildFirst` (the top Via, which the transaction layer always reads, §17.1.3, §17.2.3).
 */
export function checkViaList(s: string, from: number, to: number, buildFirst: boolean): Via | null {
  const c = Cursor.over(s, from, to);
  const first = parseViaAt(c, buildFirst);
  for (;;) {
    c.ws();
    if (c.done) return first;
    if (c.peek() !== 44) fail("expected ',' between Via values", c.i);
    c.i++;
    parseViaAt(c, false);
  }
}

/** The first Via value of a field (the top Via when it is the first Via field, §18.1.2). */
export function parseFirstVia(text: string): Via {
  return parseViaAt(new Cursor(text)) as Via;
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
