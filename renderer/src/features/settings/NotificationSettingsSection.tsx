import { useEffect, useState, type ReactNode } from 'react';
import type { NotificationSettings } from '#shared/domain/notifications.ts';
import { actions } from '../../store/store.ts';
import { useApp } from '../../store/use-app.ts';
import { loadNotificationSettings, saveNotificationSettings } from './commands.ts';

/**
 * Settings → Notifications (issue 16): desktop notices for new messages (with or without their text) and
 * for incoming calls. Kept in main (main/services/notification-settings.ts), applied by the notice gate.
 * Message requests from people not in the contacts are never notified, whatever is chosen here.
 */
export function NotificationSettingsSection(): ReactNode {
  const settings = useApp((s) => s.notifications);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    void loadNotificationSettings().then((r) => !r.ok && setProblem(r.error));
  }, []);
  // shown at once (a checkbox follows the click), then kept by main; a failed save puts the old value back
  const change = (next: Partial<NotificationSettings>) => {
    const before = settings;
    actions().notificationsChanged({ ...settings, ...next });
    void saveNotificationSettings({ ...settings, ...next }).then((r) => {
      if (!r.ok) actions().notificationsChanged(before);
      setProblem(r.ok ? null : r.error);
    });
  };
  return (
    <section className="settings-section" aria-labelledby="settings-notifications">
      <h3 id="settings-notifications">Notifications</h3>
      <label className="check">
        <input type="checkbox" checked={settings.messages} onChange={(e) => change({ messages: e.target.checked })} />
        Show notifications for new messages
      </label>
      <label className="check">
        <input
          type="checkbox"
          checked={settings.messageText}
          disabled={!settings.messages}
          aria-describedby="settings-notifications-text-hint"
          onChange={(e) => change({ messageText: e.target.checked })}
        />
        Show message text in notifications
      </label>
      <p id="settings-notifications-text-hint" className="muted small">
        When off, a notification says only who wrote, for example “Bob Builder: new message”.
      </p>
      <label className="check">
        <input type="checkbox" checked={settings.calls} onChange={(e) => change({ calls: e.target.checked })} />
        Notify about incoming calls
      </label>
      <p className="muted small">Messages from people who are not in your contacts wait in Message requests and never notify.</p>
      {problem ? <p className="error-text" role="alert">{problem}</p> : null}
    </section>
  );
}
