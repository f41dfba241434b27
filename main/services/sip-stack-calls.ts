/** The SIP side of an account as the calls service needs it (CallAccount), from a running stack. */
import type { AccountDto } from '#shared/domain/account.ts';
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
 * SRTP per account (issue 13): required on TLS accounts, where the SDES keys in the SDP travel encrypted
 * (RFC 4568 §8.3: the signalling must be protected); off on UDP/TCP, where anyone on the path could read
 * the keys from the SDP and the encryption would be a show.
 */
export function srtpModeOf(account: Pick<AccountDto, 'transport'>): SrtpMode {
  return account.transport === 'tls' ? 'required' : 'off';
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
