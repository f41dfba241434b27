import type { AccountPresenceDto, OwnPresenceDto, PeerPresenceDto, PresenceSnapshot, WatcherDto } from '#shared/domain/presence.ts';
import type { SliceCreator } from './types.ts';

/** Presence as main reports it (RFC 3856): ours, each contact's per account, each account's support. */
export interface PresenceSlice {
  readonly ownPresence: OwnPresenceDto | null;
  /** keyed by presenceKey(accountId, peer) */
  readonly peerPresence: Readonly<Record<string, PeerPresenceDto>>;
  readonly presenceSupport: Readonly<Record<string, AccountPresenceDto>>;
  presenceLoaded(snapshot: PresenceSnapshot): void;
  peerPresenceChanged(dto: PeerPresenceDto): void;
  ownPresenceChanged(dto: OwnPresenceDto): void;
  accountPresenceChanged(dto: AccountPresenceDto): void;
  /** who asks to see our presence, and the user's decisions (RFC 3856 §6.6) */
  readonly watchers: readonly WatcherDto[];
  watchersChanged(list: readonly WatcherDto[]): void;
}

export const presenceKey = (accountId: string, peer: string): string => `${accountId}\n${peer}`;

export const initialPresence = {
  ownPresence: null as OwnPresenceDto | null,
  peerPresence: {} as Readonly<Record<string, PeerPresenceDto>>,
  presenceSupport: {} as Readonly<Record<string, AccountPresenceDto>>,
  watchers: [] as readonly WatcherDto[],
};

export const createPresenceSlice: SliceCreator<PresenceSlice> = (set) => ({
  ...initialPresence,
  presenceLoaded: (snapshot) =>
    set({
      ownPresence: snapshot.own,
      peerPresence: Object.fromEntries(snapshot.peers.map((p) => [presenceKey(p.accountId, p.peer), p])),
      presenceSupport: Object.fromEntries(snapshot.accounts.map((a) => [a.accountId, a])),
    }),
  peerPresenceChanged: (dto) => set((s) => ({ peerPresence: { ...s.peerPresence, [presenceKey(dto.accountId, dto.peer)]: dto } })),
  ownPresenceChanged: (ownPresence) => set({ ownPresence }),
  accountPresenceChanged: (dto) => set((s) => ({ presenceSupport: { ...s.presenceSupport, [dto.accountId]: dto } })),
  watchersChanged: (watchers) => set({ watchers }),
});
