/** Desktop notifications for an incoming message or call while the window is not focused. */
import { Notification } from 'electron';
import { plainNoticeText } from '../services/notices/notice-text.ts';

export interface NotifyOptions {
  readonly title: string;
  readonly body: string;
  readonly onClick: () => void;
}

export function notify(windowFocused: boolean, options: NotifyOptions): void {
  if (windowFocused || !Notification.isSupported()) return;
  // message bodies are plain text; truncate long ones
  const body = options.body.length > 200 ? `${options.body.slice(0, 199)}…` : options.body;
  // issue 10: Linux notification daemons render markup in the body; a message must not (plain text)
  const n = new Notification({ title: options.title, body: plainNoticeText(body, process.platform), silent: false });
  n.on('click', options.onClick);
  n.show();
}
