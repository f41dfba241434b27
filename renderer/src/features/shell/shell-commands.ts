/** What the shell's keyboard commands do (issue 16 item 10). Returns false when the key is not ours. */
import type { ConversationId } from '#shared/domain/ids.ts';
import { actions, appStore } from '../../store/store.ts';
import type { ShellCommand } from './shortcuts.ts';

/** a modal dialog (native <dialog>) handles its own Escape */
const inDialog = (target: EventTarget | null) => target instanceof Element && target.closest('dialog[open]') !== null;

export function runShellCommand(command: ShellCommand, target: EventTarget | null): boolean {
  const s = appStore.getState();
  switch (command.kind) {
    case 'screen':
      actions().navigated(command.screen);
      return true;
    case 'quick-switcher':
      actions().quickSwitcherToggled(!s.quickSwitcherOpen);
      return true;
    case 'conversation-step': {
      const ids = s.conversations.ids;
      if (ids.length === 0) return false;
      const at = s.screen === 'chat' && s.openConversationId !== null ? ids.indexOf(s.openConversationId) : -1;
      const next = at < 0 ? (command.step > 0 ? 0 : ids.length - 1) : Math.min(ids.length - 1, Math.max(0, at + command.step));
      const id = ids[next];
      if (id === undefined) return false;
      actions().conversationOpened(id as ConversationId);
      return true;
    }
    case 'back': {
      if (inDialog(target) || s.quickSwitcherOpen) return false;
      // Esc leaves a form or a secondary screen for the conversation the user was in (or home)
      if (s.screen === 'accounts' && s.accountForm !== null) {
        actions().accountFormClosed();
        return true;
      }
      if (s.screen === 'chat' || s.screen === 'home') return false;
      if (s.screen === 'calls' && s.calls.ids.some((id) => s.calls.byId[id]?.state !== 'ended')) {
        // the call stays up: the call bar follows the user
        actions().callFocused(null);
      }
      if (s.openConversationId !== null) actions().conversationOpened(s.openConversationId as ConversationId);
      else actions().navigated('home');
      return true;
    }
    default:
      return false;
  }
}
