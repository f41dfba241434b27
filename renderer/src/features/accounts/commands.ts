import type { AccountInput } from '#shared/domain/account.ts';
import type { AccountId } from '#shared/domain/ids.ts';
import * as api from '../../bridge/api.ts';
import { actions } from '../../store/store.ts';
import { outcome } from '../outcome.ts';

async function reloadAccounts(): Promise<void> {
  // the REGISTER 200 event may arrive while these are out (issue 16 item 2): the mark keeps it
  const mark = actions().snapshotMark();
  const [list, regs] = await Promise.all([api.listAccounts(), api.listRegistrations()]);
  if (list.ok) actions().accountsChanged(list.value);
  if (regs.ok) actions().registrationsLoaded(regs.value, mark);
}

/** Why a password could not go to the keyring: the form then offers session-only (or store anyway when obscured). */
export type SecretProblem = 'secret-store-obscured' | 'secret-store-unavailable';

export async function saveAccount(input: AccountInput) {
  const raw = await api.saveAccount(input);
  const secretProblem: SecretProblem | null =
    !raw.ok && (raw.error.code === 'secret-store-obscured' || raw.error.code === 'secret-store-unavailable') ? raw.error.code : null;
  const r = { ...(await outcome(Promise.resolve(raw))), secretProblem };
  if (r.ok) await reloadAccounts();
  return r;
}

export async function removeAccount(id: AccountId) {
  const r = await outcome(api.removeAccount({ id }));
  if (r.ok) await reloadAccounts();
  return r;
}

export const testRegistration = (input: AccountInput) => outcome(api.testRegistration(input));

/** "Try now": an offline account registers again at once (issue 11) */
export const reconnectAccount = (id: AccountId) => outcome(api.reconnectAccount({ id }));
