/**
 * Keyboard answer/decline for a ringing call (issue 16 item 8), from anywhere in the window, as Teams and
 * Slack users know it: Ctrl+Shift+A answers, Ctrl+Shift+D declines (Cmd on macOS). The panel also takes
 * focus on its Answer button, so Enter or Space answers and Tab reaches Decline.
 */
type Keys = Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>;

export type IncomingKey = 'answer' | 'decline';

export function incomingCommandForKey(e: Keys): IncomingKey | null {
  if (!(e.ctrlKey || e.metaKey) || !e.shiftKey || e.altKey) return null;
  const k = e.key.toLowerCase();
  if (k === 'a') return 'answer';
  if (k === 'd') return 'decline';
  return null;
}

/** the shortcuts as aria-keyshortcuts and hint text (WAI-ARIA 1.2 §6.7 aria-keyshortcuts syntax) */
export const ANSWER_KEYS = 'Control+Shift+A';
export const DECLINE_KEYS = 'Control+Shift+D';

/** the ringing call the keys act on: the first that is not a waiting call, else the first waiting one */
export function callForKeys<T extends { readonly waiting: boolean }>(ringing: readonly T[]): T | null {
  return ringing.find((c) => !c.waiting) ?? ringing[0] ?? null;
}
