/**
 * The one renderer store (zustand, slices pattern). It is a projection of main's truth plus UI state.
 * Actions are named as events and are callable outside React: the IPC event bridge calls them.
 */
import { createStore } from 'zustand/vanilla';
import { createAccountsSlice, initialAccounts } from './accounts-slice.ts';
import { createCallsSlice, initialCalls } from './calls-slice.ts';
import { createChatsSlice, initialChats } from './chats-slice.ts';
import { createContactsSlice, initialContacts } from './contacts-slice.ts';
import { createDraftsSlice, initialDrafts } from './drafts-slice.ts';
import { createDiagnosticsSlice, initialDiagnostics } from './diagnostics-slice.ts';
import { createPresenceSlice, initialPresence } from './presence-slice.ts';
import { createPrivacySlice, initialPrivacy } from './privacy-slice.ts';
import type { AppState } from './types.ts';
import { createTypingSlice, initialTyping } from './typing-slice.ts';
import { createUiSlice, initialUi } from './ui-slice.ts';

export type { AppState } from './types.ts';

export const appStore = createStore<AppState>()((set, get) => ({
  ...createAccountsSlice(set, get),
  ...createContactsSlice(set, get),
  ...createChatsSlice(set, get),
  ...createCallsSlice(set, get),
  ...createDiagnosticsSlice(set, get),
  ...createUiSlice(set, get),
  ...createTypingSlice(set, get),
  ...createPrivacySlice(set, get),
  ...createDraftsSlice(set, get),
  ...createPresenceSlice(set, get),
}));

/** Back to the first state (tests call this between cases). Actions are kept. */
export function resetStore(): void {
  appStore.setState({
    ...initialAccounts,
    ...initialContacts,
    ...initialChats,
    ...initialCalls,
    ...initialDiagnostics,
    ...initialUi,
    ...initialTyping,
    ...initialPrivacy,
    ...initialDrafts,
    ...initialPresence,
  });
}

/** Actions, for code outside React (the event bridge, features' command functions). */
export const actions = (): AppState => appStore.getState();
