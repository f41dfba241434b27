import type { ConversationId, CallId } from '#shared/domain/ids.ts';
import type { SliceCreator } from './types.ts';

export type Screen = 'home' | 'accounts' | 'contacts' | 'chat' | 'search' | 'calls' | 'diagnostics';

export interface UiSlice {
  readonly screen: Screen;
  readonly openConversationId: string | null;
  /** the account being edited: an id, 'new', or null when the form is closed */
  readonly accountForm: string | null;
  /** the call shown on the call screen */
  readonly focusedCallId: string | null;
  /** a plain-words message for the banner (errors from main) */
  readonly notice: string | null;
  navigated(screen: Screen): void;
  conversationOpened(id: ConversationId): void;
  /** event: a sip:/sips:/im: link was opened in the OS */
  addressOpened(event: { readonly conversationId: ConversationId }): void;
  accountFormOpened(id: string | null): void;
  accountFormClosed(): void;
  callFocused(id: CallId | null): void;
  noticeShown(text: string): void;
  noticeDismissed(): void;
}

export const initialUi = {
  screen: 'home' as Screen,
  openConversationId: null as string | null,
  accountForm: null as string | null,
  focusedCallId: null as string | null,
  notice: null as string | null,
};

export const createUiSlice: SliceCreator<UiSlice> = (set) => ({
  ...initialUi,
  navigated: (screen) => set({ screen }),
  conversationOpened: (id) => set({ screen: 'chat', openConversationId: id }),
  addressOpened: ({ conversationId }) => set({ screen: 'chat', openConversationId: conversationId }),
  accountFormOpened: (id) => set({ screen: 'accounts', accountForm: id ?? 'new' }),
  accountFormClosed: () => set({ accountForm: null }),
  callFocused: (id) => set(id === null ? { focusedCallId: null } : { screen: 'calls', focusedCallId: id }),
  noticeShown: (text) => set({ notice: text }),
  noticeDismissed: () => set({ notice: null }),
});
