import { DEFAULT_NOTIFICATIONS, type NotificationSettings } from '#shared/domain/notifications.ts';
import { DEFAULT_PRIVACY, type PrivacySettings } from '#shared/domain/privacy.ts';
import type { SliceCreator } from './types.ts';

/**
 * The privacy and notification settings as main last reported them (`settings:privacy-changed`,
 * `settings:notifications-changed`, or the initial load).
 */
export interface PrivacySlice {
  readonly privacy: PrivacySettings;
  readonly notifications: NotificationSettings;
  privacyChanged(settings: PrivacySettings): void;
  notificationsChanged(settings: NotificationSettings): void;
}

export const initialPrivacy = { privacy: DEFAULT_PRIVACY, notifications: DEFAULT_NOTIFICATIONS };

export const createPrivacySlice: SliceCreator<PrivacySlice> = (set) => ({
  ...initialPrivacy,
  privacyChanged: (privacy) => set({ privacy }),
  notificationsChanged: (notifications) => set({ notifications }),
});
