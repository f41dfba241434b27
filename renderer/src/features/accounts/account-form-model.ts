/** The account form's fields as typed text, their validation, and the AccountInput they become. */
import type { AccountDto, AccountInput, SrtpSetting, TransportKind } from '#shared/domain/account.ts';
import type { AccountId } from '#shared/domain/ids.ts';

export interface AccountFormValues {
  readonly aor: string;
  readonly displayName: string;
  readonly authUser: string;
  readonly password: string;
  readonly registrar: string;
  readonly outboundProxy: string;
  readonly transport: TransportKind;
  readonly port: string;
  readonly cpim: boolean;
  readonly pinnedCertificate: string;
  readonly enabled: boolean;
  /** digest realm (issue 10); empty = learn it from the registrar */
  readonly realm: string;
  /** extra realms, comma or space separated */
  readonly extraRealms: string;
  readonly allowDirect: boolean;
  /** encrypted audio (SRTP); null = the default for the transport (required on TLS, offered otherwise) */
  readonly srtp: SrtpSetting | null;
  /** allow SRTP keys over UDP/TCP, where they travel readable */
  readonly srtpOverInsecure: boolean;
}

export type AccountField = keyof AccountFormValues;
export type AccountFormErrors = Partial<Record<AccountField, string>>;

export const emptyAccountForm: AccountFormValues = {
  aor: '',
  displayName: '',
  authUser: '',
  password: '',
  registrar: '',
  outboundProxy: '',
  transport: 'udp',
  port: '',
  cpim: false,
  pinnedCertificate: '',
  enabled: true,
  realm: '',
  extraRealms: '',
  allowDirect: false,
  srtp: null,
  srtpOverInsecure: false,
};

export function formFromAccount(a: AccountDto): AccountFormValues {
  return {
    aor: a.aor,
    displayName: a.displayName,
    authUser: a.authUser,
    password: '',
    registrar: a.registrar,
    outboundProxy: a.outboundProxy ?? '',
    transport: a.transport,
    port: a.port === null ? '' : String(a.port),
    cpim: a.cpim,
    pinnedCertificate: a.pinnedCertificate ?? '',
    enabled: a.enabled,
    realm: a.realm ?? '',
    extraRealms: a.extraRealms.join(', '),
    allowDirect: a.allowDirect,
    srtp: a.srtp,
    srtpOverInsecure: a.srtpOverInsecure,
  };
}

/** what the account's calls will really do with `v`'s SRTP settings (as main decides, sip-stack-calls.ts) */
export function effectiveSrtp(v: Pick<AccountFormValues, 'srtp' | 'srtpOverInsecure' | 'transport'>): SrtpSetting {
  const setting = v.srtp ?? (v.transport === 'tls' ? 'required' : 'offered');
  return v.transport === 'tls' || v.srtpOverInsecure ? setting : 'off';
}

/** "a, b c" → ['a', 'b', 'c'] (realms hold no commas or spaces in practice) */
export function realmList(text: string): string[] {
  return text.split(/[\s,]+/).filter((r) => r !== '');
}

// user@host, host a name, IPv4 or [IPv6], optional :port (RFC 3261 §19.1.1, simplified for a form)
const USER_AT_HOST = /^(sips?:)?[^\s@:;]+@(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/;
const HOST_PORT = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/;
const PROXY_URI = /^sips?:(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?(;[^\s]*)?$/;

/** Checks every field; the result's `input` is set only when there is no error. */
export function validateAccountForm(
  v: AccountFormValues,
  editing: { readonly id: AccountId; readonly hasPassword: boolean } | null,
): { readonly errors: AccountFormErrors; readonly input: AccountInput | null } {
  const errors: Record<string, string> = {};
  const aor = v.aor.trim();
  if (aor === '') errors.aor = 'Enter your SIP address, e.g. sip:alice@pbx.example.com.';
  else if (!USER_AT_HOST.test(aor)) errors.aor = 'A SIP address looks like sip:alice@pbx.example.com.';
  const registrar = v.registrar.trim();
  if (registrar !== '' && !HOST_PORT.test(registrar.replace(/^sips?:/, '')))
    errors.registrar = 'Enter a host name or address, e.g. pbx.example.com or 10.0.0.5:5060.';
  const proxy = v.outboundProxy.trim();
  if (proxy !== '' && !PROXY_URI.test(proxy)) errors.outboundProxy = 'An outbound proxy looks like sip:proxy.example.com:5060;transport=tcp.';
  const portText = v.port.trim();
  let port: number | null = null;
  if (portText !== '') {
    port = /^\d+$/.test(portText) ? Number(portText) : NaN;
    if (!Number.isInteger(port) || port < 1 || port > 65535) errors.port = 'The port is a number from 1 to 65535 (leave empty for the default).';
  }
  if (editing === null || !editing.hasPassword) {
    if (v.password === '') errors.password = 'Enter the password your PBX gave you.';
  }
  const pem = v.pinnedCertificate.trim();
  if (pem !== '') {
    if (!/-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----/.test(pem))
      errors.pinnedCertificate = 'Paste a PEM certificate (from -----BEGIN CERTIFICATE----- to -----END CERTIFICATE-----).';
    else if (v.transport !== 'tls') errors.pinnedCertificate = 'A pinned certificate is only used with TLS: choose TLS or clear it.';
  }
  if (/["\\]/.test(v.realm) || /["\\]/.test(v.extraRealms)) errors.realm = 'A realm holds no quotes or backslashes.';
  if (realmList(v.extraRealms).length > 8) errors.extraRealms = 'At most 8 extra realms.';
  if (v.srtp === 'required' && v.transport !== 'tls' && !v.srtpOverInsecure)
    errors.srtp = 'Required encryption needs TLS (or allowing keys over UDP/TCP, which anyone on the path can read).';
  if (Object.keys(errors).length > 0) return { errors, input: null };
  const normalizedAor = /^sips?:/.test(aor) ? aor : `sip:${aor}`;
  return {
    errors: {},
    input: {
      id: editing?.id ?? null,
      aor: normalizedAor,
      displayName: v.displayName.trim(),
      // empty = the user part of the SIP address (the form's hint); filled in here so "Test registration"
      // authenticates as that user too, exactly as the saved account will
      authUser: v.authUser.trim() === '' ? (normalizedAor.replace(/^sips?:/, '').split('@')[0] ?? '') : v.authUser.trim(),
      password: v.password === '' ? null : v.password,
      registrar: registrar === '' ? normalizedAor.replace(/^sips?:[^@]*@/, '') : registrar,
      outboundProxy: proxy === '' ? null : proxy,
      transport: v.transport,
      port,
      cpim: v.cpim,
      pinnedCertificate: pem === '' ? null : pem,
      enabled: v.enabled,
      realm: v.realm.trim() === '' ? null : v.realm.trim(),
      extraRealms: realmList(v.extraRealms),
      allowDirect: v.allowDirect,
      srtp: v.srtp,
      srtpOverInsecure: v.srtpOverInsecure,
    },
  };
}
