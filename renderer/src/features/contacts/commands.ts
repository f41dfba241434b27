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

/** opens (or creates) the conversation with an address and shows it */
export const startChat = (peer: string) =>
  outcome(api.openConversation({ accountId: null, peer }), (c) => {
    actions().conversationChanged(c);
    actions().conversationOpened(c.id);
  });

/** places a call and shows the call screen; a live call with that peer is brought forward instead */
export const startCall = (peer: string) => placeCall(peer);
