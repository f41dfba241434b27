import type { NotificationSettings } from '#shared/domain/notifications.ts';
import type { PrivacySettings } from '#shared/domain/privacy.ts';
import * as api from '../../bridge/api.ts';
import { actions } from '../../store/store.ts';
import { outcome } from '../outcome.ts';

export const savePrivacySettings = (settings: PrivacySettings) => outcome(api.savePrivacy(settings), (saved) => actions().privacyChanged(saved));

export const loadPrivacySettings = () => outcome(api.getPrivacy(), (p) => actions().privacyChanged(p));

export const saveNotificationSettings = (settings: NotificationSettings) =>
  outcome(api.saveNotificationSettings(settings), (saved) => actions().notificationsChanged(saved));

export const loadNotificationSettings = () => outcome(api.getNotificationSettings(), (n) => actions().notificationsChanged(n));
