/** Encrypts account passwords at rest: Electron's safeStorage (OS keychain) in the app. */
export interface SecretStore {
  isAvailable(): boolean;
  encrypt(plain: string): Buffer;
  decrypt(blob: Buffer): string;
}
