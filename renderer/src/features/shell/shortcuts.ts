import type { Screen } from '../../store/ui-slice.ts';

type Keys = Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>;

/** What a key press asks the shell for (issue 16 item 10, the conventions of Slack/Element/Signal). */
export type ShellCommand =
  | { readonly kind: 'screen'; readonly screen: Screen }
  | { readonly kind: 'quick-switcher' }
  | { readonly kind: 'conversation-step'; readonly step: 1 | -1 }
  | { readonly kind: 'back' };

/** Ctrl/Cmd+K quick switcher, Ctrl/Cmd+F search, Alt+↑/↓ previous/next conversation, Alt+1..5 places, Esc back. */
export function commandForKey(e: Keys): ShellCommand | null {
  const mod = (e.ctrlKey || e.metaKey) && !e.altKey;
  if (mod && e.key.toLowerCase() === 'k') return { kind: 'quick-switcher' };
  if (mod && e.key.toLowerCase() === 'f') return { kind: 'screen', screen: 'search' };
  if (e.altKey && !e.ctrlKey && !e.metaKey) {
    if (e.key === 'ArrowUp') return { kind: 'conversation-step', step: -1 };
    if (e.key === 'ArrowDown') return { kind: 'conversation-step', step: 1 };
    const map: Record<string, Screen> = { '1': 'home', '2': 'contacts', '3': 'calls', '4': 'accounts', '5': 'diagnostics', '6': 'settings' };
    const screen = map[e.key];
    return screen ? { kind: 'screen', screen } : null;
  }
  if (e.key === 'Escape' && !e.ctrlKey && !e.metaKey && !e.altKey) return { kind: 'back' };
  return null;
}

/** the screen a shortcut opens (kept for callers that only navigate) */
export function screenForShortcut(e: Keys): Screen | null {
  const c = commandForKey(e);
  return c?.kind === 'screen' ? c.screen : null;
}
