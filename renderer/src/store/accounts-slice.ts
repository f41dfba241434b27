import type { AccountDto, RegistrationDto, RegistrationState } from '#shared/domain/account.ts';
import type { ConnectivityDto } from '#shared/domain/connectivity.ts';
import { normalize, type Normalized } from './normalized.ts';
import type { SliceCreator } from './types.ts';

/**
 * Where the store stood when a snapshot request left (`snapshotMark()`): a snapshot answered by main may
 * arrive after events main emitted later (another reply awaited in between, or a re-ordering transport).
 * An entry changed by an event after the mark is newer than the snapshot's copy and is kept (issue 16:
 * "connecting…" forever after saving an account, the REGISTER 200 event overwritten by the older list).
 */
export type SnapshotMark = number;

export interface AccountsSlice {
  readonly accounts: Normalized<AccountDto>;
  /** registration state by account id */
  readonly registrations: Readonly<Record<string, RegistrationState>>;
  /** event counter (bumps on every registration or call event) and the count at each entry's last event */
  readonly eventSeq: number;
  readonly registrationSeq: Readonly<Record<string, number>>;
  accountsChanged(list: readonly AccountDto[]): void;
  registrationChanged(dto: RegistrationDto): void;
  /** a snapshot from `accounts:list-registrations`; `mark` = snapshotMark() taken before the request */
  registrationsLoaded(list: readonly RegistrationDto[], mark?: SnapshotMark): void;
  snapshotMark(): SnapshotMark;
  /** online / connecting / offline with the cause, by account id (issue 11) */
  readonly connectivity: Readonly<Record<string, ConnectivityDto>>;
  connectivityChanged(dto: ConnectivityDto): void;
}

const byAor = (a: AccountDto, b: AccountDto) => a.aor.localeCompare(b.aor);

export const initialAccounts = {
  accounts: { byId: {}, ids: [] } as Normalized<AccountDto>,
  registrations: {} as Readonly<Record<string, RegistrationState>>,
  eventSeq: 0,
  registrationSeq: {} as Readonly<Record<string, number>>,
  connectivity: {} as Readonly<Record<string, ConnectivityDto>>,
};

export const createAccountsSlice: SliceCreator<AccountsSlice> = (set, get) => ({
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
  registrationChanged: (dto) =>
    set((s) => {
      const seq = s.eventSeq + 1;
      return {
        eventSeq: seq,
        registrations: { ...s.registrations, [dto.accountId]: dto.registration },
        registrationSeq: { ...s.registrationSeq, [dto.accountId]: seq },
      };
    }),
  registrationsLoaded: (list, mark = -1) =>
    set((s) => {
      const registrations: Record<string, RegistrationState> = {};
      for (const r of list) registrations[r.accountId] = r.registration;
      // an event that arrived after the request left is newer than the snapshot: keep it
      for (const [id, seq] of Object.entries(s.registrationSeq)) {
        const kept = s.registrations[id];
        if (seq > mark && kept !== undefined) registrations[id] = kept;
      }
      return { registrations };
    }),
  snapshotMark: () => get().eventSeq,
  connectivityChanged: (dto) => set((s) => ({ connectivity: { ...s.connectivity, [dto.accountId]: dto } })),
});
