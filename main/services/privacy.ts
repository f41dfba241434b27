/**
 * The privacy settings (send typing, send read receipts, share presence), kept in the settings table and
 * cached here so every check on a hot path is a synchronous read. `privacy:changed`… is emitted as
 * `settings:privacy-changed` after every save.
 */
import { DEFAULT_PRIVACY, type PrivacySettings } from '#shared/domain/privacy.ts';
import type { Emit } from '../ipc/event-bus.ts';
import type { Storage } from '../storage/storage.ts';

const KEY = 'privacy';

export type PrivacyStore = Pick<Storage, 'getSetting' | 'setSetting'>;

/** a stored value from an older or damaged file falls back field by field to the defaults */
export function parsePrivacy(stored: string | null): PrivacySettings {
  if (stored === null) return DEFAULT_PRIVACY;
  let v: unknown;
  try {
    v = JSON.parse(stored);
  } catch {
    return DEFAULT_PRIVACY;
  }
  const o = typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {};
  return {
    sendTyping: typeof o['sendTyping'] === 'boolean' ? o['sendTyping'] : DEFAULT_PRIVACY.sendTyping,
    sendReadReceipts: typeof o['sendReadReceipts'] === 'boolean' ? o['sendReadReceipts'] : DEFAULT_PRIVACY.sendReadReceipts,
    sharePresence: o['sharePresence'] === 'nobody' || o['sharePresence'] === 'contacts' ? o['sharePresence'] : DEFAULT_PRIVACY.sharePresence,
  };
}

export class PrivacyService {
  readonly #store: PrivacyStore;
  readonly #emit: Emit;
  #current: PrivacySettings = DEFAULT_PRIVACY;

  private constructor(store: PrivacyStore, emit: Emit) {
    this.#store = store;
    this.#emit = emit;
  }

  static async open(store: PrivacyStore, emit: Emit): Promise<PrivacyService> {
    const service = new PrivacyService(store, emit);
    service.#current = parsePrivacy(await store.getSetting(KEY));
    return service;
  }

  get(): PrivacySettings {
    return this.#current;
  }

  async save(next: PrivacySettings): Promise<PrivacySettings> {
    const clean = parsePrivacy(JSON.stringify(next));
    await this.#store.setSetting(KEY, JSON.stringify(clean));
    this.#current = clean;
    this.#emit('settings:privacy-changed', clean);
    return clean;
  }
}
