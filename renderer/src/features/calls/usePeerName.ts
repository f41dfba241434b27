import type { CallDto } from '#shared/domain/call.ts';
import { peerName } from '../../lib/names.ts';
import { useApp } from '../../store/use-app.ts';

/** the name a call's peer goes by: contact name, else SIP display name, else the address */
export function useCallPeerName(call: Pick<CallDto, 'peer' | 'peerName'>): string {
  return useApp((s) => peerName(s.contacts.byId, call.peer, call.peerName));
}
