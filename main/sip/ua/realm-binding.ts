/**
 * Realm binding (issue 10; RFC 3261 §22.1, §22.2, §22.3): the account's password answers only the realms
 * of the account. A digest response is a hash of the password over the realm the challenger chose, so a
 * party that may pick any realm collects an offline-crackable hash; answering only our own realms keeps
 * the password at home.
 *
 *  - configured: the realm the user entered (optional);
 *  - learned: else the realm the registrar used in its first successful challenge (a REGISTER answered
 *    2xx after our credentials for it, §22.2), stored by the caller through `onLearned`;
 *  - extra: further realms the user listed (an outbound proxy with a realm of its own).
 * While nothing is bound, only the registrar may challenge us: a challenge to a REGISTER is answered
 * (the first-use trust every softphone extends to the server it was configured with), any other is not.
 * Realms compare exactly (RFC 7616 §3.3 / RFC 2617 §1.2: the realm is an opaque quoted string).
 */
export interface RealmBindingOptions {
  readonly configured?: string | null;
  readonly learned?: string | null;
  readonly extra?: readonly string[];
  /** the registrar's realm was learned (first successful challenge); the caller stores it */
  readonly onLearned?: (realm: string) => void;
}

export class RealmBinding {
  readonly #configured: string | null;
  #learned: string | null;
  readonly #extra: readonly string[];
  readonly #onLearned: ((realm: string) => void) | undefined;

  constructor(options: RealmBindingOptions = {}) {
    this.#configured = nonEmpty(options.configured);
    this.#learned = nonEmpty(options.learned);
    this.#extra = (options.extra ?? []).map((r) => r.trim()).filter((r) => r !== '');
    this.#onLearned = options.onLearned;
  }

  /** the account's realm: configured, else learned; null while none is known */
  get realm(): string | null {
    return this.#configured ?? this.#learned;
  }

  /** every realm the password may answer now */
  realms(): readonly string[] {
    const own = this.realm;
    return own === null ? [...this.#extra] : [own, ...this.#extra];
  }

  /** whether a challenge from `realm` to a request of `method` may be answered with the password */
  allows(realm: string, method: string): boolean {
    if (this.realm === null) return method === 'REGISTER' || this.#extra.includes(realm);
    return this.realms().includes(realm);
  }

  /** a REGISTER answered for `realm` succeeded: binds it when nothing was bound (first use) */
  learn(realm: string): void {
    if (this.realm !== null || realm === '') return;
    this.#learned = realm;
    this.#onLearned?.(realm);
  }
}

function nonEmpty(value: string | null | undefined): string | null {
  const v = value?.trim() ?? '';
  return v === '' ? null : v;
}
