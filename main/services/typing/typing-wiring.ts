/**
 * The typing service wired to the app: pager MESSAGEs through the SIP stack, in-call MESSAGEs through
 * the call's dialog, OPTIONS probes through the account's UA, and the chat events that end "typing…"
 * (a message from the peer, §3.3) or our own sending (the implicit idle, §3.2).
 */
import type { ConversationDto } from '#shared/domain/chat.ts';
import type { AccountId, ConversationId } from '#shared/domain/ids.ts';
import type { EventBus } from '../../ipc/event-bus.ts';
import { IS_COMPOSING_CONTENT_TYPE } from '../../sip/body/is-composing.ts';
import type { Clock } from '../../sip/transaction/clock.ts';
import { probeAccept } from '../../sip/ua/index.ts';
import type { Storage } from '../../storage/storage.ts';
import type { CallsService } from '../calls/index.ts';
import type { SipStackService } from '../sip-stack.ts';
import { TypingService, peerKey } from './typing-service.ts';

const MAX_KNOWN = 10_000;

export interface TypingWiringDeps {
  readonly clock: Clock;
  readonly events: EventBus;
  readonly storage: Pick<Storage, 'getConversation'>;
  readonly sip: Pick<SipStackService, 'pager' | 'userAgent'>;
  readonly calls: () => Pick<CallsService, 'list' | 'session'> | null;
  /** the privacy setting; default on */
  readonly enabled?: (accountId: AccountId) => boolean;
}

export interface TypingWiring {
  readonly service: TypingService;
  isComposingBody(contentType: string | null): boolean;
}

export function createTyping(d: TypingWiringDeps): TypingWiring {
  const service = new TypingService({
    clock: d.clock,
    emit: d.events.emit,
    conversation: async (id) => {
      const c = await d.storage.getConversation(id);
      return c === null ? null : { accountId: c.accountId, peer: peerKey(c.peer) };
    },
    sendPager: async (accountId, peer, body, contentType) => {
      const outcome = await d.sip.pager.send({ accountId, target: peer, body, contentType, expiresSeconds: null, date: new Date(), dialog: null });
      return outcome.kind === 'response' ? outcome.status : null;
    },
    sendInCall: (accountId, peer) => {
      const calls = d.calls();
      const call = calls?.list().find((c) => c.accountId === accountId && (c.state === 'connected' || c.state === 'held') && peerKey(c.peer) === peer);
      const session = call === undefined ? null : (calls?.session(call.id) ?? null);
      if (session === null) return null;
      return async (body, contentType) => {
        const outcome = await session.sendMessage(body, contentType);
        return outcome.kind === 'response' ? outcome.response.status : null;
      };
    },
    probeAccept: async (accountId, peer) => {
      const ua = d.sip.userAgent(accountId);
      return ua === null ? null : probeAccept(ua, peer);
    },
    enabled: d.enabled ?? (() => true),
  });
  // A conversation's account and peer never change and its id is never reused (AUTOINCREMENT): they are
  // kept from the conversation events, so our own sending costs no storage round trip per message state
  // (issue 18: two per sent message, queued and sending). Bounded: forgotten all at once past MAX_KNOWN.
  const known = new Map<ConversationId, { readonly accountId: AccountId; readonly peer: string }>();
  const remember = (c: ConversationDto | null) => {
    if (c === null) return null;
    if (known.size >= MAX_KNOWN) known.clear();
    const kept = { accountId: c.accountId, peer: c.peer };
    known.set(c.id, kept);
    return kept;
  };
  d.events.on('chats:conversation-changed', remember);
  const peerOf = async (conversationId: ConversationId) => known.get(conversationId) ?? remember(await d.storage.getConversation(conversationId));
  d.events.on('chats:message-received', (m) => {
    void peerOf(m.conversationId).then((c) => c && service.messageReceived(c.accountId, c.peer));
  });
  d.events.on('chats:message-changed', (m) => {
    if (m.direction !== 'out' || (m.state !== 'queued' && m.state !== 'sending')) return;
    void peerOf(m.conversationId).then((c) => c && service.messageSent(c.accountId, c.peer));
  });
  return {
    service,
    isComposingBody: (contentType) => (contentType?.split(';', 1)[0] ?? '').trim().toLowerCase() === IS_COMPOSING_CONTENT_TYPE,
  };
}
