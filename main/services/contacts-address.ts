/**
 * Parsing of the addresses a person types: SIP URIs (RFC 3261 §19.1.1, §25.1), SIPS URIs and IM URIs
 * (RFC 3860 §3), or a bare `user@host` that means `sip:user@host`. Shared by the contacts and accounts
 * services. Strict on purpose: what passes here can go into a Request-URI or To header unchanged.
 */
export type AddressScheme = 'sip' | 'sips' | 'im';

export interface ParsedAddress {
  readonly scheme: AddressScheme;
  readonly user: string;
  /** lower-cased (RFC 3261 §19.1.4: hosts compare case-insensitively) */
  readonly host: string;
  readonly port: number | null;
  /** URI parameters as written, including the leading ';' (sip/sips only) */
  readonly params: string;
  /** the canonical text: scheme:user@host[:port][;params] */
  readonly uri: string;
}

export type AddressResult = { readonly ok: true; readonly address: ParsedAddress } | { readonly ok: false; readonly problem: string };

// user = 1*( unreserved / escaped / user-unreserved ), RFC 3261 §25.1
const USER = /^(?:[A-Za-z0-9\-_.!~*'()&=+$,;?/]|%[0-9A-Fa-f]{2})+$/;
const HOSTNAME = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.?$/;
const IPV4 = /^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const IPV6_REF = /^\[[0-9A-Fa-f:.]{2,45}\]$/;
const PARAMS = /^(?:;[A-Za-z0-9\-_.!~*'()%[\]/:&+$]+(?:=[A-Za-z0-9\-_.!~*'()%[\]/:&+$]*)?)*$/;

/** host[:port] as in RFC 3261 §25.1 hostport; the host comes back lower-cased. */
export function parseHostPort(text: string): { host: string; port: number | null } | string {
  const m = /^(\[[^\]]*\]|[^:]*)(?::(\d{1,5}))?$/.exec(text);
  const host = m?.[1] ?? '';
  if (host === '') return 'the host is missing';
  if (!(IPV6_REF.test(host) || IPV4.test(host) || (HOSTNAME.test(host) && !/^[\d.]+$/.test(host)))) {
    return `"${host}" is not a valid host name or IP address`;
  }
  const port = m?.[2] === undefined ? null : Number(m[2]);
  if (port !== null && (port < 1 || port > 65535)) return `port ${String(port)} is outside 1-65535`;
  return { host: host.toLowerCase(), port };
}

export interface ParseOptions {
  /** accept `user@host` without a scheme, meaning sip: (contacts) */
  readonly allowBare: boolean;
  readonly schemes: readonly AddressScheme[];
}

export function parseAddress(raw: string, options: ParseOptions): AddressResult {
  const text = raw.trim();
  const fail = (problem: string): AddressResult => ({ ok: false, problem });
  if (text === '') return fail('the address is empty');
  if (/[\s<>"]/.test(text)) return fail('an address cannot contain spaces, quotes or angle brackets');
  const schemeMatch = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(text);
  let scheme: AddressScheme;
  let rest: string;
  if (schemeMatch?.[1] !== undefined) {
    const s = schemeMatch[1].toLowerCase();
    const known = options.schemes.find((x) => x === s);
    if (known === undefined) return fail(`"${s}:" addresses are not supported; use ${options.schemes.map((x) => `${x}:`).join(', ')}`);
    scheme = known;
    rest = text.slice(schemeMatch[0].length);
  } else if (options.allowBare) {
    scheme = 'sip';
    rest = text;
  } else {
    return fail(`the address must start with ${options.schemes.map((x) => `${x}:`).join(' or ')}`);
  }
  if (rest.includes('?')) return fail('an address cannot carry URI headers (?...)');
  const at = rest.lastIndexOf('@');
  if (at <= 0) return fail('the address needs a user and a host, like user@example.com');
  const userinfo = rest.slice(0, at);
  if (userinfo.includes(':')) return fail('do not put a password in the address');
  if (!USER.test(userinfo)) return fail(`"${userinfo}" is not a valid user part`);
  const afterAt = rest.slice(at + 1);
  const semi = afterAt.indexOf(';');
  const hostport = semi < 0 ? afterAt : afterAt.slice(0, semi);
  const params = semi < 0 ? '' : afterAt.slice(semi);
  if (params !== '' && scheme === 'im') return fail('im: addresses take no parameters');
  if (!PARAMS.test(params)) return fail('the address has malformed parameters');
  const hp = parseHostPort(hostport);
  if (typeof hp === 'string') return fail(hp);
  if (scheme === 'im' && hp.port !== null) return fail('im: addresses take no port');
  const port = hp.port === null ? '' : `:${String(hp.port)}`;
  const uri = `${scheme}:${userinfo}@${hp.host}${port}${params}`;
  return { ok: true, address: { scheme, user: userinfo, host: hp.host, port: hp.port, params, uri } };
}
