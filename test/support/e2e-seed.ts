/** Seeds the test host's REAL services (accounts service, storage) with an account and a history. */
import type { AppServices } from '../../main/services/app-services.ts';
import type { AccountDto } from '../../shared/domain/account.ts';
import type { ConversationDto } from '../../shared/domain/chat.ts';

export async function seedAccount(services: AppServices, aor = 'sip:alice@127.0.0.1'): Promise<AccountDto> {
  return services.handlers['accounts:save']({
    id: null, aor, displayName: 'Alice', authUser: '', password: 'pw', registrar: '127.0.0.1', outboundProxy: null,
    transport: 'udp', port: null, cpim: false, pinnedCertificate: null, enabled: true,
  });
}

export async function seedConversation(services: AppServices, peer: string): Promise<ConversationDto> {
  return services.handlers['chats:open-conversation']({ accountId: null, peer });
}

/** `count` incoming messages a minute apart, oldest first, ending at `endAt`; bodies from `body(i)`. */
export async function seedIncoming(
  services: AppServices,
  conversation: ConversationDto,
  count: number,
  endAt: number,
  body: (i: number) => string,
): Promise<void> {
  const batch = 2000;
  for (let start = 0; start < count; start += batch) {
    const pending: Promise<unknown>[] = [];
    for (let i = start; i < Math.min(count, start + batch); i++) {
      pending.push(
        services.storage.insertIncoming({
          conversationId: conversation.id, body: body(i), contentType: 'text/plain', createdAt: endAt - (count - 1 - i) * 60_000,
          expiresAt: null, callId: null, dialogId: null, sipCallId: `seed-${conversation.id}-${i}`, cseq: 1, cpimMessageId: null,
          state: 'received', dateHeader: null, read: true,
        }),
      );
    }
    await Promise.all(pending);
  }
}
