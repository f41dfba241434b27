/** The SIP side of an account as the calls service needs it (CallAccount), from a running stack. */
import { defaultSrtpSetting, type AccountDto } from '#shared/domain/account.ts';
import { dialogUserAgent, type DialogLayer } from '../sip/dialog/index.ts';
import { isSipUri, parseNameAddr } from '../sip/message/index.ts';
import type { UserAgent } from '../sip/ua/index.ts';
import type { CallAccount } from './calls/index.ts';
import type { SrtpMode } from './calls/call-ports.ts';

export function callAccountOf(account: AccountDto, ua: UserAgent, dialogs: DialogLayer): CallAccount {
  return {
    id: account.id,
    aor: account.aor,
    displayName: account.displayName || null,
    ua: dialogUserAgent(ua),
    layer: dialogs,
    contact: () => ua.contact(),
    srtp: srtpModeOf(account),
    // media goes where the PBX reaches our signalling: the host of our Contact (RFC 3264 §5 c= line)
    get mediaAddress() {
      return mediaAddressOf(ua.contact());
    },
  };
}

/**
 * SRTP per account (issue 13): the account's setting (default required on TLS, offered otherwise). The
 * SDES keys travel in the SDP, so RFC 4568 §8.3 wants the signalling protected: over UDP/TCP anyone on the
 * path could read them and the encryption would be a show, so there the setting applies only when the
 * user allowed keys over UDP/TCP; otherwise calls stay plain RTP.
 */
export function srtpModeOf(account: Pick<AccountDto, 'transport'> & Partial<Pick<AccountDto, 'srtp' | 'srtpOverInsecure'>>): SrtpMode {
  const setting = account.srtp ?? defaultSrtpSetting(account.transport);
  if (account.transport === 'tls' || account.srtpOverInsecure === true) return setting;
  return 'off';
}

function mediaAddressOf(contact: string): string {
  try {
    const uri = parseNameAddr(contact).uri;
    if (isSipUri(uri) && /^[\d.]+$|^\[/.test(uri.host)) return uri.host.replace(/^\[|\]$/g, '');
  } catch {
    // fall through: an unparsable Contact is a bug elsewhere; media binds to all addresses
  }
  return '0.0.0.0';
}
