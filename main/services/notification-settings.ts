/**
 * The notification settings (messages on/off, message text in the notice, calls on/off), kept in the
 * settings table like the privacy settings (privacy.ts) and cached so the notice gate reads them
 * synchronously on every message. `settings:notifications-changed` is emitted after every save.
 */
import { DEFAULT_NOTIFICATIONS, type NotificationSettings } from '#shared/domain/notifications.ts';
import type { Emit } from '../ipc/event-bus.ts';
import type { Storage } from '../storage/storage.ts';

const KEY = 'notifications';

export type NotificationSettingsStore = Pick<Storage, 'getSetting' | 'setSetting'>;

/** a stored value from an older or damaged file falls back field by field to the defaults */
export function parseNotificationSettings(stored: string | null): NotificationSettings {
  if (stored === null) return DEFAULT_NOTIFICATIONS;
  let v: unknown;
  try {
    v = JSON.parse(stored);
  } catch {
    return DEFAULT_NOTIFICATIONS;
  }
  const o = typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {};
  const flag = (key: keyof NotificationSettings): boolean => (typeof o[key] === 'boolean' ? o[key] : DEFAULT_NOTIFICATIONS[key]);
  return { messages: flag('messages'), messageText: flag('messageText'), calls: flag('calls') };
}

export class NotificationSettingsService {
  readonly #store: NotificationSettingsStore;
  readonly #emit: Emit;
  #current: NotificationSettings = DEFAULT_NOTIFICATIONS;

  private constructor(store: NotificationSettingsStore, emit: Emit) {
    this.#store = store;
    this.#emit = emit;
  }

  static async open(store: NotificationSettingsStore, emit: Emit): Promise<NotificationSettingsService> {
    const service = new NotificationSettingsService(store, emit);
    service.#current = parseNotificationSettings(await store.getSetting(KEY));
    return service;
  }

  get(): NotificationSettings {
    return this.#current;
  }

  async save(next: NotificationSettings): Promise<NotificationSettings> {
    const clean = parseNotificationSettings(JSON.stringify(next));
    await this.#store.setSetting(KEY, JSON.stringify(clean));
    this.#current = clean;
    this.#emit('settings:notifications-changed', clean);
    return clean;
  }
}
