import type { AccountInput } from '#shared/domain/account.ts';
import type { AccountId } from '#shared/domain/ids.ts';
import * as api from '../../bridge/api.ts';
import { actions } from '../../store/store.ts';
import { outcome } from '../outcome.ts';

async function reloadAccounts(): Promise<void> {
  const [list, regs] = await Promise.all([api.listAccounts(), api.listRegistrations()]);
  if (list.ok) actions().accountsChanged(list.value);
  if (regs.ok) actions().registrationsLoaded(regs.value);
}

export async function saveAccount(input: AccountInput) {
  const r = await outcome(api.saveAccount(input));
  if (r.ok) await reloadAccounts();
  return r;
}

export async function removeAccount(id: AccountId) {
  const r = await outcome(api.removeAccount({ id }));
  if (r.ok) await reloadAccounts();
  return r;
}

export const testRegistration = (input: AccountInput) => outcome(api.testRegistration(input));
