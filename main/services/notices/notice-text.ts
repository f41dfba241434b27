/**
 * The words of coalesced message notifications (issue 10, "bounded cost"): one notice for everything that
 * arrived since the last one, "Bob Builder" + the text for one message, "Bob Builder" + "3 new messages"
 * for one person, "12 new messages from 3 people" for several. Messages from people not in the contacts
 * (message requests) are never notified (notice-gate.ts).
 * Pure, so it is tested without Electron.
 */
import type { ConversationDto } from '#shared/domain/chat.ts';
import type { ContactDto } from '#shared/domain/contact.ts';

export interface PendingPeer {
  /** as the user named them: contact name, else the conversation title, else the address */
  readonly name: string;
  readonly count: number;
  /** the newest message's text (plain text; clipped here) */
  readonly lastBody: string;
  /** the newest message was sent inside a call */
  readonly inCall: boolean;
}

export interface NoticeText {
  readonly title: string;
  readonly body: string;
}

const BODY_MAX = 200;
const NAMES_SHOWN = 3;

export function clip(text: string, max = BODY_MAX): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

const bare = (address: string) => address.replace(/^(sips?|im):/i, '').split(/[;?]/, 1)[0] ?? address;

/** the contact's name for an address (compared without scheme and parameters), if the user saved one */
export function contactName(contacts: readonly ContactDto[], address: string): string | null {
  const key = bare(address).toLowerCase();
  const found = contacts.find((c) => bare(c.address).toLowerCase() === key && c.displayName.trim() !== '');
  return found ? found.displayName.trim() : null;
}

/** issue 16 item 4: the sender as the user named them: contact name, else the conversation title, else the address */
export function senderName(conversation: Pick<ConversationDto, 'peer' | 'title'>, contacts: readonly ContactDto[]): string {
  return contactName(contacts, conversation.peer) || conversation.title.trim() || bare(conversation.peer);
}

const plural = (n: number, one: string, many: string): string => `${String(n)} ${n === 1 ? one : many}`;

function namesOf(peers: readonly PendingPeer[], people: number): string {
  const shown = peers.slice(0, NAMES_SHOWN).map((p) => p.name);
  const more = people - shown.length;
  if (more > 0) return `${shown.join(', ')} and ${String(more)} more`;
  if (shown.length <= 1) return shown.join('');
  return `${shown.slice(0, -1).join(', ')} and ${shown.at(-1) ?? ''}`;
}

/**
 * One notice for the known senders that wrote since the last notice (newest activity first); null when
 * there is nothing to say. Message requests (unknown senders) are never in it (notice-gate.ts).
 * `people` / `messages` may exceed what `peers` lists (the pending list is bounded). The notice about
 * several people names them and counts messages only, so it never carries text either way.
 */
export function composeNotice(
  peers: readonly PendingPeer[],
  totals: { readonly people: number; readonly messages: number },
  /** settings → Notifications, "Show message text": off → only who wrote and how many, never a word of the text */
  showText = true,
): NoticeText | null {
  if (totals.people === 0 || peers.length === 0) return null;
  const first = peers[0];
  if (totals.people === 1 && first !== undefined) {
    if (!showText) {
      const what = plural(totals.messages, 'new message', 'new messages').replace(/^1 /, '');
      return { title: first.name, body: first.inCall ? `${what} in the call` : what };
    }
    if (totals.messages === 1) {
      return { title: first.name, body: clip(first.inCall ? `(in the call) ${first.lastBody}` : first.lastBody) };
    }
    return { title: first.name, body: `${plural(totals.messages, 'new message', 'new messages')}: ${clip(first.lastBody, 120)}` };
  }
  return {
    title: `${plural(totals.messages, 'new message', 'new messages')} from ${String(totals.people)} people`,
    body: namesOf(peers, totals.people),
  };
}

/**
 * Notification text as plain text. The freedesktop notification spec lets the daemon render a subset of
 * markup in the body (<b>, <i>, <a href>, <img>, entities), and Electron hands the body over as given, so
 * on Linux `&`, `<` and `>` are escaped: a message cannot make itself bold, link or load an image.
 * macOS and Windows show the text as is (escaping there would show "&amp;").
 */
export function plainNoticeText(text: string, platform: NodeJS.Platform): string {
  if (platform !== 'linux') return text;
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
