/**
 * The password follows the account (issue 10): a stored password was given for one server and one user.
 * Changing where it goes (registrar, outbound proxy, port, transport, the AOR's domain) or whom it signs in
 * (auth user) clears it, unless a new password comes in the same save; the learned realm belongs to the
 * server and is forgotten with it. Pure: main applies it, the account form explains it.
 */
import type { AccountDto, TransportKind } from './account.ts';

/** the fields a stored password is bound to */
export interface PasswordBinding {
  readonly aor: string;
  readonly authUser: string;
  readonly registrar: string;
  readonly outboundProxy: string | null;
  readonly transport: TransportKind;
  readonly port: number | null;
}

export type BoundField = 'registrar' | 'outboundProxy' | 'port' | 'transport' | 'domain' | 'authUser';

/** words for the form: "the registrar and the port" */
export const BOUND_FIELD_WORDS: Readonly<Record<BoundField, string>> = {
  registrar: 'the registrar',
  outboundProxy: 'the outbound proxy',
  port: 'the port',
  transport: 'the transport',
  domain: 'the domain of the SIP address',
  authUser: 'the authentication user',
};

function domainOf(aor: string): string {
  return aor.replace(/^sips?:/i, '').replace(/^[^@]*@/, '').split(/[;?]/)[0]?.toLowerCase() ?? '';
}

const same = (a: string | null, b: string | null) => (a ?? '').trim().toLowerCase() === (b ?? '').trim().toLowerCase();

/** which bound fields differ between the stored account and what is being saved (or tested) */
export function changedBoundFields(stored: PasswordBinding, next: PasswordBinding): BoundField[] {
  const changed: BoundField[] = [];
  if (!same(stored.registrar, next.registrar)) changed.push('registrar');
  if (!same(stored.outboundProxy, next.outboundProxy)) changed.push('outboundProxy');
  if (stored.port !== next.port) changed.push('port');
  if (stored.transport !== next.transport) changed.push('transport');
  if (domainOf(stored.aor) !== domainOf(next.aor)) changed.push('domain');
  // the user name is compared exactly: digest hashes it as typed (RFC 3261 §22.4)
  if (stored.authUser.trim() !== next.authUser.trim()) changed.push('authUser');
  return changed;
}

/** the server the password (and the learned realm) belong to changed: everything but the auth user */
export function serverChanged(changed: readonly BoundField[]): boolean {
  return changed.some((f) => f !== 'authUser');
}

/** "Changing the registrar and the port removes the saved password: type it again." — or null when nothing changed */
export function passwordClearingNotice(account: Pick<AccountDto, 'hasPassword'> & PasswordBinding, next: PasswordBinding): string | null {
  if (!account.hasPassword) return null;
  const changed = changedBoundFields(account, next);
  if (changed.length === 0) return null;
  const words = changed.map((f) => BOUND_FIELD_WORDS[f]);
  const list = words.length === 1 ? words[0] : `${words.slice(0, -1).join(', ')} and ${words.at(-1) ?? ''}`;
  return `Changing ${list ?? ''} removes the saved password, so it is never sent to a server it was not given for. Type the password again to keep signing in.`;
}
