import type { AccountDto, RegistrationDto, RegistrationState } from '#shared/domain/account.ts';
import { normalize, type Normalized } from './normalized.ts';
import type { SliceCreator } from './types.ts';

export interface AccountsSlice {
  readonly accounts: Normalized<AccountDto>;
  /** registration state by account id */
  readonly registrations: Readonly<Record<string, RegistrationState>>;
  accountsChanged(list: readonly AccountDto[]): void;
  registrationChanged(dto: RegistrationDto): void;
  registrationsLoaded(list: readonly RegistrationDto[]): void;
}

const byAor = (a: AccountDto, b: AccountDto) => a.aor.localeCompare(b.aor);

export const initialAccounts = {
  accounts: { byId: {}, ids: [] } as Normalized<AccountDto>,
  registrations: {} as Readonly<Record<string, RegistrationState>>,
};

export const createAccountsSlice: SliceCreator<AccountsSlice> = (set) => ({
  ...initialAccounts,
  accountsChanged: (list) =>
    set((s) => {
      const accounts = normalize(list, (a) => a.id, byAor);
      // forget the registration state of removed accounts
      const registrations: Record<string, RegistrationState> = {};
      for (const id of accounts.ids) {
        const r = s.registrations[id];
        if (r) registrations[id] = r;
      }
      return { accounts, registrations };
    }),
  registrationChanged: (dto) => set((s) => ({ registrations: { ...s.registrations, [dto.accountId]: dto.registration } })),
  registrationsLoaded: (list) =>
    set(() => {
      const registrations: Record<string, RegistrationState> = {};
      for (const r of list) registrations[r.accountId] = r.registration;
      return { registrations };
    }),
});
