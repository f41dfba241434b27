import type { AccountDto } from '#shared/domain/account.ts';
import type { ConversationDto, MessageDto } from '#shared/domain/chat.ts';
import type { AccountId, ConversationId, MessageId } from '#shared/domain/ids.ts';

export const accountId = 'acc-1' as AccountId;
export const conversationId = 'conv-1' as ConversationId;

export function message(id: string, createdAt: number, over: Partial<MessageDto> = {}): MessageDto {
  return {
    id: id as MessageId,
    conversationId,
    direction: 'in',
    state: 'received',
    body: `body ${id}`,
    contentType: 'text/plain',
    code: null,
    reason: null,
    callId: null,
    sentOutOfDialog: false,
    createdAt,
    sentAt: null,
    dateHeader: null,
    expiresAt: null,
    bytes: 6,
    receipt: null,
    ...over,
  };
}

export function conversation(id: string, lastActivity: number, over: Partial<ConversationDto> = {}): ConversationDto {
  return {
    id: id as ConversationId,
    accountId,
    peer: `sip:${id}@example.test`,
    title: id,
    contactId: null,
    unknownSender: false,
    blocked: false,
    lastMessage: null,
    unread: 0,
    lastActivity,
    ...over,
  };
}

export function account(id: string, aor: string): AccountDto {
  return {
    id: id as AccountId,
    aor,
    displayName: '',
    authUser: '',
    registrar: 'example.test',
    outboundProxy: null,
    transport: 'udp',
    port: null,
    cpim: false,
    pinnedCertificate: null,
    enabled: true,
    hasPassword: true,
    realm: null,
    extraRealms: [],
    learnedRealm: null,
    allowDirect: false,
    srtp: 'offered',
    srtpOverInsecure: false,
  };
}
