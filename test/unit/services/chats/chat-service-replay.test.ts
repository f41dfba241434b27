import { afterEach, describe, expect, it } from 'vitest';
import type { IncomingPagerMessage } from '../../../../main/services/chats/pager.ts';
import { toIncomingPagerMessage } from '../../../../main/services/sip-stack-pager.ts';
import { openStorage } from '../../../../main/storage/storage.ts';
import type { AccountId } from '#shared/domain/ids.ts';
import { tempDir } from '../../storage/fixtures.ts';
import { setup } from './harness.ts';

function textPlain(over: Partial<IncomingPagerMessage> = {}): IncomingPagerMessage {
  return {
    from: 'sip:bob@example.test',
    fromDisplayName: 'Bob',
    contentType: 'text/plain;charset=UTF-8',
    body: Buffer.from('only once', 'utf8'),
    callId: 'replayed@example.test',
    cseq: 3,
    fromTag: 'bobtag',
    date: null,
    expiresSeconds: null,
    dialog: null,
    ...over,
  };
}

describe('ChatService.receive: a text/plain replay (same Call-ID + CSeq + From tag) is stored once across restarts', () => {
  const tmp = tempDir();
  afterEach(() => tmp.remove());

  it('MUST answer 200 to the replay without storing or showing it again, after a restart and after the user deleted it', async () => {
    const path = tmp.file('replay.db');
    const first = await openStorage(path);
    const a = await setup(first);
    expect(await a.service.receive(a.accountId, textPlain())).toEqual({ status: 200 });
    const [stored] = a.events.of('chats:message-received');
    if (stored === undefined) throw new Error('not stored');
    await a.service.delete(stored.id);
    await first.close();

    // "restart": the same database opened again, a new service
    const second = await openStorage(path);
    const b = await setup(second, { accountId: a.accountId as AccountId });
    expect(await b.service.receive(b.accountId, textPlain())).toEqual({ status: 200 });
    expect(b.events.of('chats:message-received')).toEqual([]);
    // the sender's next request (next CSeq) is a new message
    expect(await b.service.receive(b.accountId, textPlain({ cseq: 4, body: Buffer.from('next') }))).toEqual({ status: 200 });
    expect(b.events.of('chats:message-received').map((m) => m.body)).toEqual(['next']);
    await second.close();
  });

  it('the SIP glue hands the From tag to the service (toIncomingPagerMessage)', () => {
    const m = toIncomingPagerMessage({
      request: { fromTag: 'ft-9', toTag: null },
      inbound: {},
      from: 'sip:bob@example.test',
      fromDisplayName: null,
      contentType: 'text/plain',
      body: Buffer.from('x'),
      callId: 'c',
      cseq: 1,
      date: null,
      expiresSeconds: null,
      inDialog: false,
    } as unknown as Parameters<typeof toIncomingPagerMessage>[0]);
    expect(m.fromTag).toBe('ft-9');
  });
});
