/** Account passwords encrypted with the OS keychain (Electron safeStorage); never plain text on disk. */
import { safeStorage } from 'electron';
import type { SecretStore } from '../services/secret-store-types.ts';

export const electronSecretStore: SecretStore = {
  isAvailable: () => safeStorage.isEncryptionAvailable(),
  encrypt: (plain) => safeStorage.encryptString(plain),
  decrypt: (blob) => safeStorage.decryptString(blob),
};
