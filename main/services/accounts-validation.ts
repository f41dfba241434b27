/**
 * Checks an AccountInput and normalises it, or throws a ServiceError('invalid-input') whose message a
 * person can act on. Never echoes the password.
 */
import type { AccountInput, SrtpSetting } from '#shared/domain/account.ts';
import { ServiceError } from '../ipc/service-error.ts';
import { parseAddress, parseHostPort } from './contacts-address.ts';

export interface ValidAccount {
  readonly aor: string;
  readonly displayName: string;
  readonly authUser: string;
  readonly registrar: string;
  readonly outboundProxy: string | null;
  readonly port: number | null;
  /** configured digest realm (RFC 3261 §22); null = learn it from the registrar */
  readonly realm: string | null;
  readonly extraRealms: readonly string[];
  readonly allowDirect: boolean;
  /** null = the default for the transport */
  readonly srtp: SrtpSetting | null;
  readonly srtpOverInsecure: boolean;
}

/** A realm as it appears in a challenge's quoted string: no quotes, backslashes or controls (RFC 3261 §25.1). */
function validRealm(value: string, field: string): string {
  const r = value.trim();
  if (r.length > 200) throw invalid(`${field}: at most 200 characters`);
  if (CONTROL.test(r) || /["\\]/.test(r)) throw invalid(`${field}: quotes, backslashes and control characters are not allowed`);
  return r;
}

// CR/LF and other controls would let a value break out of its SIP header (header injection)
const CONTROL = /[\u0000-\u001f\u007f]/;

function invalid(message: string): ServiceError {
  return new ServiceError('invalid-input', message);
}

export function validateAccountInput(input: AccountInput): ValidAccount {
  const parsed = parseAddress(input.aor, { allowBare: false, schemes: ['sip', 'sips'] });
  if (!parsed.ok) throw invalid(`SIP address: ${parsed.problem} (example: sip:alice@example.com)`);
  const aor = parsed.address;
  if (aor.port !== null || aor.params !== '') {
    throw invalid('SIP address: give only user and domain (sip:alice@example.com); put the server and port in Registrar');
  }

  const displayName = input.displayName.trim();
  if (CONTROL.test(displayName)) throw invalid('Display name: line breaks and control characters are not allowed');
  const authUser = input.authUser.trim() === '' ? aor.user : input.authUser.trim();
  if (CONTROL.test(authUser) || /\s/.test(authUser)) throw invalid('Auth user: spaces and control characters are not allowed');

  if (input.password !== null && input.password === '') {
    throw invalid('Password: leave the field untouched to keep the stored password, or type a new one');
  }
  if (input.password !== null && CONTROL.test(input.password)) {
    throw invalid('Password: line breaks and control characters are not allowed');
  }

  let registrar = input.registrar.trim();
  if (registrar === '') registrar = aor.host;
  const reg = parseHostPort(registrar);
  if (typeof reg === 'string') throw invalid(`Registrar: ${reg} (expected host or host:port, e.g. pbx.example.com:5060)`);
  registrar = reg.port === null ? reg.host : `${reg.host}:${String(reg.port)}`;

  if (input.port !== null && (!Number.isInteger(input.port) || input.port < 1 || input.port > 65535)) {
    throw invalid(`Port: ${String(input.port)} is outside 1-65535`);
  }

  let outboundProxy: string | null = null;
  const proxyText = input.outboundProxy?.trim() ?? '';
  if (proxyText !== '') {
    const withScheme = /^sips?:/i.test(proxyText) ? proxyText : `sip:${proxyText}`;
    const hostPart = withScheme.replace(/^sips?:/i, '');
    const [hp = '', ...paramParts] = hostPart.split(';');
    if (hp.includes('@')) throw invalid('Outbound proxy: give a server, like sip:proxy.example.com:5060;transport=tcp');
    const proxy = parseHostPort(hp);
    if (typeof proxy === 'string') throw invalid(`Outbound proxy: ${proxy}`);
    const params = paramParts.length === 0 ? '' : `;${paramParts.join(';')}`;
    if (!/^(?:;[A-Za-z0-9\-_.!~*'()%]+(?:=[A-Za-z0-9\-_.!~*'()%]*)?)*$/.test(params)) {
      throw invalid('Outbound proxy: malformed parameters');
    }
    const scheme = withScheme.slice(0, withScheme.indexOf(':')).toLowerCase();
    if (scheme === 'sips' && input.transport !== 'tls') {
      throw invalid('Outbound proxy: a sips: proxy needs the TLS transport (RFC 3261 §26.2.2)');
    }
    const port = proxy.port === null ? '' : `:${String(proxy.port)}`;
    outboundProxy = `${scheme}:${proxy.host}${port}${params}`;
  }

  // RFC 3261 §19.1 / §26.2.2: a SIPS URI must be reached over TLS on every hop
  if (aor.scheme === 'sips' && input.transport !== 'tls') {
    throw invalid('Transport: a sips: address needs the TLS transport; choose TLS or use a sip: address');
  }
  if (input.pinnedCertificate !== null && input.pinnedCertificate.trim() !== '') {
    if (input.transport !== 'tls') throw invalid('Trusted certificate: only used with the TLS transport; choose TLS or remove it');
    if (!/-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----/.test(input.pinnedCertificate)) {
      throw invalid('Trusted certificate: paste a PEM certificate (-----BEGIN CERTIFICATE----- ...)');
    }
  }

  const realmText = input.realm === undefined || input.realm === null ? '' : validRealm(input.realm, 'Realm');
  const extraRealms: string[] = [];
  for (const r of input.extraRealms ?? []) {
    const v = validRealm(r, 'Extra realms');
    if (v !== '' && v !== realmText && !extraRealms.includes(v)) extraRealms.push(v);
  }
  if (extraRealms.length > 8) throw invalid('Extra realms: at most 8');

  // RFC 4568 §8.3: SDES keys ride in the SDP, readable by anyone on the path unless the signalling is TLS.
  // "Required" over UDP/TCP without the user's consent to that would be a call that can never be placed.
  const srtp = input.srtp ?? null;
  const srtpOverInsecure = input.srtpOverInsecure === true;
  if (srtp === 'required' && input.transport !== 'tls' && !srtpOverInsecure) {
    throw invalid('Encrypted audio: "required" on UDP or TCP sends the keys readable to anyone on the path; use TLS, or allow keys over UDP/TCP');
  }

  return {
    aor: aor.uri,
    displayName,
    authUser,
    registrar,
    outboundProxy,
    port: input.port,
    realm: realmText === '' ? null : realmText,
    extraRealms,
    allowDirect: input.allowDirect === true,
    srtp,
    srtpOverInsecure,
  };
}
