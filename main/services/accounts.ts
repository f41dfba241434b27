/**
 * The SIP accounts: validation, storage (password encrypted through the SecretStore, never stored or
 * emitted in plain text), and `accounts:changed` events with the full list after every change.
 */
import { randomUUID } from 'node:crypto';
import type { AccountDto, AccountInput } from '#shared/domain/account.ts';
import type { AccountId } from '#shared/domain/ids.ts';
import type { Emit } from '../ipc/event-bus.ts';
import { ServiceError } from '../ipc/service-error.ts';
import type { Storage } from '../storage/storage.ts';
import { StorageError } from '../storage/storage.ts';
import { validateAccountInput } from './accounts-validation.ts';
import { changedBoundFields, serverChanged } from '#shared/domain/account-binding.ts';
import type { SecretProtection, SecretStore } from './secret-store.ts';

export type AccountStore = Pick<
  Storage,
  'listAccounts' | 'getAccount' | 'findAccountByAor' | 'saveAccount' | 'getAccountSecret' | 'removeAccount' | 'learnAccountRealm'
>;

/** What the SIP stack needs to answer a digest challenge (RFC 3261 §22). */
export interface AccountCredentials {
  readonly authUser: string;
  readonly password: string | null;
}

export interface AccountsServiceOptions {
  readonly storage: AccountStore;
  readonly secrets: SecretStore;
  readonly emit: Emit;
  readonly now?: () => number;
  /** where the local SIP port of each account is kept across restarts (the settings table) */
  readonly settings?: Pick<Storage, 'getSetting' | 'setSetting'>;
}

const localPortKey = (id: AccountId): string => `sip-local-port:${id}`;

const SQLITE_CONSTRAINT_UNIQUE = 2067;

export class AccountsService {
  readonly #storage: AccountStore;
  readonly #secrets: SecretStore;
  readonly #emit: Emit;
  readonly #now: () => number;
  readonly #settings: Pick<Storage, 'getSetting' | 'setSetting'> | null;
  /** passwords the user chose to keep for this session only (never stored) */
  readonly #sessionPasswords = new Map<AccountId, string>();

  constructor(options: AccountsServiceOptions) {
    this.#storage = options.storage;
    this.#secrets = options.secrets;
    this.#emit = options.emit;
    this.#now = options.now ?? Date.now;
    this.#settings = options.settings ?? null;
  }

  /** the local UDP port the account's SIP stack bound last time (sip-stack-account.ts bindLayer), or null */
  async localPort(id: AccountId): Promise<number | null> {
    const value = await this.#settings?.getSetting(localPortKey(id));
    const port = value === null || value === undefined ? NaN : Number(value);
    return Number.isInteger(port) && port > 0 && port < 65_536 ? port : null;
  }

  async rememberLocalPort(id: AccountId, port: number): Promise<void> {
    await this.#settings?.setSetting(localPortKey(id), String(port));
  }

  list(): Promise<readonly AccountDto[]> {
    return this.#storage.listAccounts();
  }

  async get(id: AccountId): Promise<AccountDto> {
    const account = await this.#storage.getAccount(id);
    if (account === null) throw new ServiceError('not-found', 'That account no longer exists.');
    return account;
  }

  async save(input: AccountInput): Promise<AccountDto> {
    const valid = validateAccountInput(input);
    const existing = input.id === null ? null : await this.get(input.id);
    const sameAor = await this.#storage.findAccountByAor(valid.aor);
    if (sameAor !== null && sameAor.id !== existing?.id) {
      throw new ServiceError('duplicate', `There is already an account for ${valid.aor}.`);
    }
    const id = existing?.id ?? (randomUUID() as AccountId);
    let passwordSecret: Buffer | null = null;
    let sessionPassword: string | null = null;
    if (input.password !== null) {
      const protection = await this.#secrets.protection();
      const wanted = input.passwordStorage ?? null;
      if (wanted === 'session') {
        sessionPassword = input.password; // asked again at next start; never written anywhere
      } else if (protection === 'keyring' || (protection === 'obscured' && wanted === 'obscured')) {
        passwordSecret = await this.#secrets.encrypt(input.password);
      } else if (protection === 'obscured') {
        throw new ServiceError(
          'secret-store-obscured',
          'This system has no keyring, so a saved password would only be obscured, not encrypted. Keep it for this session only, or store it anyway.',
        );
      } else {
        throw new ServiceError(
          'secret-store-unavailable',
          'The system keyring is not available, so the password cannot be stored safely. You can keep it for this session only.',
        );
      }
    }
    // issue 10: the stored password follows the server and user it was given for; a change of either
    // clears it unless a new one comes with this save (the form says so); the learned realm goes with the server
    const changed = existing === null ? [] : changedBoundFields(existing, { ...valid, transport: input.transport });
    const clearPassword = input.password === null && changed.length > 0;
    const learnedRealm = existing === null || serverChanged(changed) ? null : existing.learnedRealm;
    let saved: AccountDto;
    try {
      saved = await this.#storage.saveAccount({
        id,
        ...valid,
        passwordSecret,
        transport: input.transport,
        cpim: input.cpim,
        pinnedCertificate: input.pinnedCertificate?.trim() ? input.pinnedCertificate.trim() : null,
        enabled: input.enabled,
        createdAt: this.#now(),
        learnedRealm,
        clearPassword,
      });
    } catch (e) {
      // a concurrent save of the same address of record lost the race against the unique index
      if (e instanceof StorageError && e.sqliteCode === SQLITE_CONSTRAINT_UNIQUE) {
        throw new ServiceError('duplicate', `There is already an account for ${valid.aor}.`);
      }
      throw e;
    }
    if (sessionPassword !== null) this.#sessionPasswords.set(saved.id, sessionPassword);
    else if (passwordSecret !== null || clearPassword) this.#sessionPasswords.delete(saved.id);
    await this.#emitChanged();
    return saved;
  }

  /**
   * The realm the registrar used in its first successful challenge (issue 10): stored once, never
   * overwritten by a later learning (only a change of server in `save` forgets it).
   */
  async learnRealm(id: AccountId, realm: string): Promise<void> {
    if (await this.#storage.learnAccountRealm(id, realm)) await this.#emitChanged();
  }

  /**
   * The stored password for a registration test of `input` (issue 10): only when the test goes to the
   * stored server as the stored user; null when there is none. A test against another server without a
   * new password is refused: the stored password never goes where it was not given for.
   */
  async credentialsForTest(input: AccountInput): Promise<{ readonly account: AccountDto; readonly password: string | null }> {
    const account = await this.get(input.id ?? ('' as AccountId));
    const valid = validateAccountInput(input);
    const changed = changedBoundFields(account, { ...valid, transport: input.transport });
    if (changed.length > 0) {
      throw new ServiceError('invalid-input', 'Type the password to test another server or user: the saved password only goes to the server it was saved for.');
    }
    return { account, password: (await this.getCredentials(account.id)).password };
  }

  /** For the SIP stack only (digest authentication); never sent to the renderer. */
  async getCredentials(id: AccountId): Promise<AccountCredentials> {
    const account = await this.get(id);
    const session = this.#sessionPasswords.get(id);
    if (session !== undefined) return { authUser: account.authUser, password: session };
    const secret = await this.#storage.getAccountSecret(id);
    if (secret === null) return { authUser: account.authUser, password: null };
    if ((await this.#secrets.protection()) === 'unavailable') {
      throw new ServiceError('secret-store-unavailable', 'The system keyring is not available, so the password cannot be read.');
    }
    return { authUser: account.authUser, password: await this.#secrets.decrypt(Buffer.from(secret)) };
  }

  /** How a saved password would be protected here (the account form explains `obscured` before saving). */
  secretProtection(): Promise<SecretProtection> {
    return this.#secrets.protection();
  }

  /** Removes the account with its conversations and messages. Removing a missing account is not an error. */
  async remove(id: AccountId): Promise<void> {
    this.#sessionPasswords.delete(id);
    if (await this.#storage.removeAccount(id)) await this.#emitChanged();
  }

  async #emitChanged(): Promise<void> {
    this.#emit('accounts:changed', await this.#storage.listAccounts());
  }
}
