import type { ConversationId, CallId } from '#shared/domain/ids.ts';
import type { SliceCreator } from './types.ts';

/** `requests`: Message requests (issue 10), conversations from senders not in the contacts */
export type Screen = 'home' | 'accounts' | 'contacts' | 'chat' | 'search' | 'calls' | 'diagnostics' | 'settings' | 'requests';

/** a search hit the chat must bring into view and highlight */
export interface JumpTarget {
  readonly conversationId: string;
  readonly messageId: string;
  readonly query: string;
}

export interface UiSlice {
  readonly screen: Screen;
  readonly openConversationId: string | null;
  /** the account being edited: an id, 'new', or null when the form is closed */
  readonly accountForm: string | null;
  /** the call shown on the call screen */
  readonly focusedCallId: string | null;
  /** a plain-words message for the banner (errors from main) */
  readonly notice: string | null;
  /** missed calls that ended before this were seen (the Calls screen was open) */
  readonly missedSeenAt: number;
  readonly jump: JumpTarget | null;
  readonly quickSwitcherOpen: boolean;
  navigated(screen: Screen): void;
  conversationOpened(id: ConversationId): void;
  /** event: a sip:/sips:/im: link was opened in the OS */
  addressOpened(event: { readonly conversationId: ConversationId }): void;
  accountFormOpened(id: string | null): void;
  accountFormClosed(): void;
  callFocused(id: CallId | null): void;
  noticeShown(text: string): void;
  noticeDismissed(): void;
  /** a search hit was chosen: open its conversation at that message */
  searchHitOpened(target: JumpTarget): void;
  jumpDone(): void;
  quickSwitcherToggled(open: boolean): void;
}

export const initialUi = {
  screen: 'home' as Screen,
  openConversationId: null as string | null,
  accountForm: null as string | null,
  focusedCallId: null as string | null,
  notice: null as string | null,
  missedSeenAt: 0,
  jump: null as JumpTarget | null,
  quickSwitcherOpen: false,
};

/** entering or leaving the Calls screen marks the missed calls so far as seen */
const seen = (s: { readonly screen: Screen; readonly missedSeenAt: number }, next: Screen) =>
  s.screen === 'calls' || next === 'calls' ? { missedSeenAt: Date.now() } : {};

export const createUiSlice: SliceCreator<UiSlice> = (set) => ({
  ...initialUi,
  navigated: (screen) => set((s) => ({ screen, ...seen(s, screen) })),
  conversationOpened: (id) => set((s) => ({ screen: 'chat', openConversationId: id, jump: null, ...seen(s, 'chat') })),
  addressOpened: ({ conversationId }) => set((s) => ({ screen: 'chat', openConversationId: conversationId, ...seen(s, 'chat') })),
  accountFormOpened: (id) => set((s) => ({ screen: 'accounts', accountForm: id ?? 'new', ...seen(s, 'accounts') })),
  accountFormClosed: () => set({ accountForm: null }),
  callFocused: (id) => set((s) => (id === null ? { focusedCallId: null } : { screen: 'calls', focusedCallId: id, ...seen(s, 'calls') })),
  noticeShown: (text) => set({ notice: text }),
  noticeDismissed: () => set({ notice: null }),
  searchHitOpened: (target) => set((s) => ({ screen: 'chat', openConversationId: target.conversationId, jump: target, ...seen(s, 'chat') })),
  jumpDone: () => set({ jump: null }),
  quickSwitcherToggled: (open) => set({ quickSwitcherOpen: open }),
});
