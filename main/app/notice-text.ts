/**
 * The words of call notifications (issue 16 item 4): the caller as the user named them (contact name, else
 * the SIP display name, else the address). Message notifications are composed, coalesced and rate-limited
 * in main/services/notices (issue 10). Pure, so it is tested without Electron.
 */
import type { CallDto } from '#shared/domain/call.ts';
import type { ContactDto } from '#shared/domain/contact.ts';
import { contactName } from '../services/notices/notice-text.ts';

const bare = (address: string) => address.replace(/^(sips?|im):/i, '').split(/[;?]/, 1)[0] ?? address;

/** "Incoming call" / "Bob Builder" */
export function callNotice(call: CallDto, contacts: readonly ContactDto[]): { title: string; body: string } {
  const name = contactName(contacts, call.peer) || call.peerName.trim() || bare(call.peer);
  // a call arriving while another is up is announced as waiting (issue 13)
  if (call.state === 'incoming') return { title: call.waiting ? 'Call waiting' : 'Incoming call', body: name };
  return { title: 'Missed call', body: name };
}
