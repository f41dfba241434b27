import type { AccountsSlice } from './accounts-slice.ts';
import type { CallsSlice } from './calls-slice.ts';
import type { ChatsSlice } from './chats-slice.ts';
import type { ContactsSlice } from './contacts-slice.ts';
import type { DraftsSlice } from './drafts-slice.ts';
import type { DiagnosticsSlice } from './diagnostics-slice.ts';
import type { PresenceSlice } from './presence-slice.ts';
import type { PrivacySlice } from './privacy-slice.ts';
import type { TypingSlice } from './typing-slice.ts';
import type { UiSlice } from './ui-slice.ts';

export type AppState = AccountsSlice & ContactsSlice & ChatsSlice & CallsSlice & DiagnosticsSlice & UiSlice & TypingSlice & PrivacySlice & DraftsSlice & PresenceSlice;

type SetState = (partial: Partial<AppState> | ((state: AppState) => Partial<AppState>)) => void;

/** A slice gets the store's set/get and returns its own part of the state (zustand "slices pattern"). */
export type SliceCreator<T> = (set: SetState, get: () => AppState) => T;
