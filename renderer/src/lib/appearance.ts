/** Appearance (settings): follow the OS, or light/dark; applied as data-theme on <html>, kept in localStorage. */
export type ThemeChoice = 'system' | 'light' | 'dark';
export const THEME_KEY = 'sip-messenger.theme.v1';

export function loadTheme(): ThemeChoice {
  try {
    const v = localStorage.getItem(THEME_KEY);
    return v === 'light' || v === 'dark' ? v : 'system';
  } catch {
    return 'system';
  }
}

export function applyTheme(choice: ThemeChoice): void {
  const root = document.documentElement;
  if (choice === 'system') delete root.dataset.theme;
  else root.dataset.theme = choice;
  try {
    if (choice === 'system') localStorage.removeItem(THEME_KEY);
    else localStorage.setItem(THEME_KEY, choice);
  } catch {
    // not persisted: applies for this session
  }
}
