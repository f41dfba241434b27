import type { ContactInput } from '#shared/domain/contact.ts';
import type { ContactId } from '#shared/domain/ids.ts';
import * as api from '../../bridge/api.ts';
import { actions } from '../../store/store.ts';
import { placeCall } from '../calls/commands.ts';
import { outcome } from '../outcome.ts';

/** contacts, and the conversations whose titles main takes from them (a new or deleted contact renames a chat) */
async function reloadContacts(): Promise<void> {
  const [list, conversations] = await Promise.all([api.listContacts(), api.listConversations()]);
  if (list.ok) actions().contactsChanged(list.value);
  if (conversations.ok) actions().conversationsLoaded(conversations.value);
}

export async function saveContact(input: ContactInput) {
  const r = await outcome(api.saveContact(input));
  if (r.ok) await reloadContacts();
  return r;
}

export async function removeContact(id: ContactId) {
  const r = await outcome(api.removeContact({ id }));
  if (r.ok) await reloadContacts();
  return r;
}

async function reloadBlocked(): Promise<void> {
  const list = await api.listBlocked();
  if (list.ok) actions().blockedChanged(list.value);
}

/** blocks an address (a contact or anyone): its messages are refused (403) and not stored */
export async function blockAddress(address: string) {
  const r = await outcome(api.blockAddress({ address }));
  if (r.ok) await Promise.all([reloadContacts(), reloadBlocked()]);
  return r;
}

export async function unblockAddress(address: string) {
  const r = await outcome(api.unblockAddress({ address }));
  if (r.ok) await Promise.all([reloadContacts(), reloadBlocked()]);
  return r;
}

/** opens (or creates) the conversation with an address and shows it */
export const startChat = (peer: string) =>
  outcome(api.openConversation({ accountId: null, peer }), (c) => {
    actions().conversationChanged(c);
    actions().conversationOpened(c.id);
  });

/** places a call and shows the call screen; a live call with that peer is brought forward instead */
export const startCall = (peer: string) => placeCall(peer);
