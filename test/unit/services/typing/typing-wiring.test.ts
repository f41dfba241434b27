/**
 * Issue 18: our own sending ends "typing…" (RFC 3994 §3.2, the implicit idle) without a storage round trip
 * per message state: the conversation's account and peer come from the conversation events (they never
 * change and a conversation id is never reused), the storage is read only for a conversation not seen yet.
 */
import { describe, expect, it, vi } from 'vitest';
import type { ConversationDto, MessageDto } from '#shared/domain/chat.ts';
import type { AccountId, ConversationId, MessageId } from '#shared/domain/ids.ts';
import { EventBus } from '../../../../main/ipc/event-bus.ts';
import { createTyping } from '../../../../main/services/typing/typing-wiring.ts';
import { FakeClock } from '../../../support/fake-clock.ts';

const ALICE = 'acc-alice' as AccountId;

function conversation(id: string, peer: string): ConversationDto {
  return { id: id as ConversationId, accountId: ALICE, peer } as unknown as ConversationDto;
}

function outgoing(conversationId: string, n: number, state: MessageDto['state']): MessageDto {
  return { id: `m${String(n)}` as MessageId, conversationId: conversationId as ConversationId, direction: 'out', state } as unknown as MessageDto;
}

describe('typing wiring: our own sending', () => {
  it('tells the typing service per sent message without reading the conversation each time', async () => {
    const events = new EventBus();
    const stored = new Map([['1', conversation('1', 'sip:bob@example.test')], ['2', conversation('2', 'sip:carol@example.test')]]);
    const reads: string[] = [];
    const typing = createTyping({
      clock: new FakeClock(1_000),
      events,
      storage: {
        getConversation: (id) => {
          reads.push(id);
          return Promise.resolve(stored.get(id) ?? null);
        },
      },
      sip: { pager: { send: () => Promise.resolve({ kind: 'not-registered' }) }, userAgent: () => null } as never,
      calls: () => null,
    });
    const sent = vi.spyOn(typing.service, 'messageSent');
    const settle = () => new Promise<void>((r) => setImmediate(r));

    events.emit('chats:conversation-changed', conversation('1', 'sip:bob@example.test'));
    for (let n = 0; n < 50; n++) {
      events.emit('chats:message-changed', outgoing('1', n, 'queued'));
      events.emit('chats:message-changed', outgoing('1', n, 'sending'));
      events.emit('chats:message-changed', outgoing('1', n, 'delivered'));
    }
    await settle();
    expect(reads).toEqual([]);
    expect(sent).toHaveBeenCalledTimes(100);
    expect(sent).toHaveBeenLastCalledWith(ALICE, 'sip:bob@example.test');

    // a conversation not announced yet (a message queued after a restart): read once, then known
    events.emit('chats:message-changed', outgoing('2', 1, 'sending'));
    await settle();
    events.emit('chats:message-changed', outgoing('2', 2, 'queued'));
    await settle();
    expect(reads).toEqual(['2']);
    expect(sent).toHaveBeenLastCalledWith(ALICE, 'sip:carol@example.test');
  });
});
