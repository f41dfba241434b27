/**
 * The words of desktop notifications (issue 16 item 4): the sender as the user named them (contact name,
 * else the SIP display name, else the address), never "New message". Pure, so it is tested without Electron.
 */
import type { CallDto } from '#shared/domain/call.ts';
import type { ConversationDto, MessageDto } from '#shared/domain/chat.ts';
import type { ContactDto } from '#shared/domain/contact.ts';

const BODY_MAX = 200;

const bare = (address: string) => address.replace(/^(sips?|im):/i, '').split(/[;?]/, 1)[0] ?? address;

function contactName(contacts: readonly ContactDto[], address: string): string | null {
  const key = bare(address).toLowerCase();
  const found = contacts.find((c) => bare(c.address).toLowerCase() === key && c.displayName.trim() !== '');
  return found ? found.displayName.trim() : null;
}

export function clip(text: string, max = BODY_MAX): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** "Bob Builder" / "text…" for a received message; the conversation title already follows the contact */
export function messageNotice(message: MessageDto, conversation: ConversationDto | undefined, contacts: readonly ContactDto[]): { title: string; body: string } {
  const peer = conversation?.peer ?? '';
  const title = (conversation && contactName(contacts, conversation.peer)) || conversation?.title || (peer ? bare(peer) : 'New message');
  const body = message.callId !== null ? `(in the call) ${message.body}` : message.body;
  return { title, body: clip(body) };
}

/** "Incoming call" / "Bob Builder" */
export function callNotice(call: CallDto, contacts: readonly ContactDto[]): { title: string; body: string } {
  const name = contactName(contacts, call.peer) || call.peerName.trim() || bare(call.peer);
  // a call arriving while another is up is announced as waiting (issue 13)
  if (call.state === 'incoming') return { title: call.waiting ? 'Call waiting' : 'Incoming call', body: name };
  return { title: 'Missed call', body: name };
}
