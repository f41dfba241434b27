import type { Screen } from '../../store/ui-slice.ts';

/** Keyboard shortcuts of the shell: Ctrl/Cmd+K search, Alt+1..5 the main places. */
export function screenForShortcut(e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>): Screen | null {
  if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 'k') return 'search';
  if (e.altKey && !e.ctrlKey && !e.metaKey) {
    const map: Record<string, Screen> = { '1': 'home', '2': 'contacts', '3': 'calls', '4': 'accounts', '5': 'diagnostics' };
    return map[e.key] ?? null;
  }
  return null;
}
