/**
 * Receipts (RFC 5438 IMDN) between two accounts on one storage: alice's MESSAGEs go through a pager that
 * hands them to bob's chat service, and bob's IMDNs come back the same way, so every step (request on
 * the CPIM message, delivered after storing, displayed when shown, matching, dedup, sender check) runs
 * through the real services and storage.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountId, MessageId } from '#shared/domain/ids.ts';
import type { MessageDto } from '#shared/domain/chat.ts';
import { ChatService } from '../../../../main/services/chats/chat-service.ts';
import type { PagerOutcome, PagerRequest, PagerSender } from '../../../../main/services/chats/pager.ts';
import { AccountsService } from '../../../../main/services/accounts.ts';
import { createTestSecretStore } from '../../../../main/services/secret-store.ts';
import { ReceiptsService } from '../../../../main/services/receipts/receipts-service.ts';
import { parseImdn } from '../../../../main/sip/body/imdn.ts';
import { formatCpim, parseCpim } from '../../../../main/sip/ua/cpim.ts';
import { openStorage, type Storage } from '../../../../main/storage/storage.ts';
import { accountRecord } from '../../storage/fixtures.ts';
import { EventLog } from '../chats/harness.ts';

interface Side {
  readonly accountId: AccountId;
  readonly aor: string;
  readonly chats: ChatService;
  readonly receipts: ReceiptsService;
  readonly events: EventLog;
  readonly sent: PagerRequest[];
  /** what the network answers to this side's MESSAGEs; default: hand it to the peer, 200 */
  answer: (r: PagerRequest) => Promise<PagerOutcome>;
  readReceipts: boolean;
}

let seq = 0;
let storage: Storage;

async function side(name: string, peers: Map<string, Side>): Promise<Side> {
  seq++;
  const accountId = `acc-r-${name}-${String(seq)}` as AccountId;
  const aor = `sip:${name}${String(seq)}@example.test`;
  await storage.saveAccount(accountRecord({ id: accountId, aor, cpim: true }));
  const events = new EventLog();
  const accounts = new AccountsService({ storage, secrets: createTestSecretStore(), emit: events.emit });
  const sent: PagerRequest[] = [];
  let callSeq = 0;
  const s: Side = {
    accountId,
    aor,
    events,
    sent,
    readReceipts: true,
    answer: async (r) => {
      const peer = peers.get(r.target);
      if (peer === undefined) return { kind: 'response', status: 404, reason: 'Not Found', accept: null };
      callSeq++;
      const a = await peer.chats.receive(peer.accountId, {
        from: aor,
        fromDisplayName: null,
        contentType: r.contentType,
        body: r.body,
        callId: `${name}-${String(callSeq)}`,
        cseq: 1,
        date: r.date,
        expiresSeconds: r.expiresSeconds,
        dialog: null,
      });
      return { kind: 'response', status: a.status, reason: 'x', accept: null };
    },
    chats: undefined as unknown as ChatService,
    receipts: undefined as unknown as ReceiptsService,
  };
  const sender: PagerSender = {
    send: async (r) => {
      sent.push(r);
      return s.answer(r);
    },
    isCongestionControlled: () => true,
  };
  const fail = (message: string, error: unknown) => {
    throw new Error(`unexpected fault: ${message}: ${String(error)}`);
  };
  let idSeq = 0;
  const receipts = new ReceiptsService({
    storage,
    accounts,
    sender,
    emit: events.emit,
    now: () => 1_700_000_000_000,
    newMessageId: () => `imdn-${name}-${String(++idSeq)}`,
    sendReadReceipts: () => s.readReceipts,
    onError: (m) => {
      if (!m.startsWith('IMDN')) fail(m, null);
    },
  });
  const chats = new ChatService({ storage, sender, emit: events.emit, receipts, onError: fail, now: () => 1_700_000_000_000 });
  Object.assign(s, { chats, receipts });
  peers.set(aor, s);
  return s;
}

async function pair(): Promise<{ alice: Side; bob: Side }> {
  const peers = new Map<string, Side>();
  return { alice: await side('alice', peers), bob: await side('bob', peers) };
}

async function sendText(from: Side, to: Side, text: string): Promise<MessageDto> {
  const conversation = await from.chats.openConversation(from.accountId, to.aor);
  const out = await from.chats.send({ conversationId: conversation.id, body: text, expiresInSeconds: null, oversize: null });
  if (out.kind !== 'queued' || out.messages[0] === undefined) throw new Error('not queued');
  await from.chats.idle();
  await to.receipts.idle();
  return out.messages[0];
}

async function stored(id: MessageId): Promise<MessageDto | null> {
  return storage.getMessage(id);
}

const imdnsIn = (s: Side) =>
  s.sent
    .map((r) => parseCpim(r.body))
    .filter((p) => p.ok && p.message.contentType === 'message/imdn+xml')
    .map((p) => (p.ok ? p.message : null));

describe('receipts (RFC 5438 IMDN)', () => {
  beforeAll(async () => {
    storage = await openStorage(':memory:');
  });
  afterAll(() => storage.close());

  it('MUST request delivery and display notifications on CPIM messages we send (§6.2, §7.1.1)', async () => {
    const { alice, bob } = await pair();
    await sendText(alice, bob, 'hi');
    const p = parseCpim(alice.sent[0]?.body ?? Buffer.alloc(0));
    expect(p.ok && p.message.dispositionNotification).toBe('positive-delivery, display');
    expect(p.ok && p.message.messageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(alice.sent[0]?.body.toString()).toContain('\r\nimdn.Disposition-Notification: positive-delivery, display\r\n');
  });

  it('delivered when stored (§7.2.1.1), then read when displayed (§7.2.1.2); the IMDN is never a message', async () => {
    const { alice, bob } = await pair();
    const m = await sendText(alice, bob, 'hello bob');
    // bob stored it and sent a delivery notification to alice, which alice matched by Message-ID
    const imdns = imdnsIn(bob);
    expect(imdns).toHaveLength(1);
    const delivered = imdns[0];
    expect(delivered?.contentDisposition).toBe('notification');
    expect(delivered?.dispositionNotification).toBeNull();
    expect(delivered?.to[0]?.uri).toBe(alice.aor);
    const parsed = parseImdn(delivered?.content ?? Buffer.alloc(0));
    expect(parsed.ok && parsed.value).toMatchObject({ kind: 'delivery', status: 'delivered', recipientUri: bob.aor });
    expect(await stored(m.id)).toMatchObject({ state: 'delivered', code: 200, receipt: 'delivered' });

    // alice saw no message from bob, only a change of her own message
    expect(alice.events.of('chats:message-received')).toHaveLength(0);
    const aliceConv = (await storage.listConversations()).find((c) => c.accountId === alice.accountId);
    expect((await storage.pageMessages(aliceConv!.id, null, 10)).messages).toHaveLength(1);

    const bobConv = (await storage.listConversations()).find((c) => c.accountId === bob.accountId)!;
    const incoming = (await storage.pageMessages(bobConv.id, null, 10)).messages[0]!;
    expect(await bob.receipts.displayed(bobConv.id, [incoming.id])).toBe(1);
    await bob.receipts.idle();
    expect(await stored(m.id)).toMatchObject({ state: 'delivered', receipt: 'read' });
    const read = alice.events.of('chats:message-changed').at(-1);
    expect(read).toMatchObject({ id: m.id, receipt: 'read' });

    // shown again: no second display notification
    expect(await bob.receipts.displayed(bobConv.id, [incoming.id])).toBe(0);
    await bob.receipts.idle();
    expect(imdnsIn(bob)).toHaveLength(2);
  });

  it('a 202 (stored by the server) message becomes delivered, code still 202, when its IMDN arrives', async () => {
    const { alice, bob } = await pair();
    let held: PagerRequest | null = null;
    alice.answer = async (r) => {
      held = r;
      return { kind: 'response', status: 202, reason: 'Accepted', accept: null };
    };
    const m = await sendText(alice, bob, 'while you were away');
    expect(await stored(m.id)).toMatchObject({ state: 'accepted', code: 202, receipt: null });
    // later the store delivers it to bob, who reports delivery to alice
    const r = held as unknown as PagerRequest;
    await bob.chats.receive(bob.accountId, {
      from: alice.aor, fromDisplayName: null, contentType: r.contentType, body: r.body,
      callId: 'msilo-1', cseq: 10, date: r.date, expiresSeconds: null, dialog: null,
    });
    await bob.receipts.idle();
    expect(await stored(m.id)).toMatchObject({ state: 'delivered', code: 202, receipt: 'delivered' });
  });

  it('an IMDN is accepted only from the address the message went to; others change nothing (§7.1.2)', async () => {
    const { alice, bob } = await pair();
    const peers = new Map<string, Side>();
    const mallory = await side('mallory', peers);
    alice.answer = async () => ({ kind: 'response', status: 202, reason: 'Accepted', accept: null });
    const m = await sendText(alice, bob, 'for bob only');
    const cpimId = (() => {
      const p = parseCpim(alice.sent[0]!.body);
      return p.ok ? p.message.messageId! : '';
    })();
    const forged = formatCpim({
      from: { uri: bob.aor }, // lies in the CPIM From; the SIP From (authenticated by the PBX) is mallory
      to: { uri: alice.aor },
      dateTime: new Date(),
      messageId: 'forged-1',
      contentType: 'message/imdn+xml',
      contentDisposition: 'notification',
      content: `<?xml version="1.0" encoding="UTF-8"?><imdn xmlns="urn:ietf:params:xml:ns:imdn"><message-id>${cpimId}</message-id><datetime>2008-04-04T12:16:49-05:00</datetime><display-notification><status><displayed/></status></display-notification></imdn>`,
    });
    const answer = await alice.chats.receive(alice.accountId, {
      from: mallory.aor, fromDisplayName: null, contentType: 'message/cpim', body: forged,
      callId: 'forged', cseq: 1, date: null, expiresSeconds: null, dialog: null,
    });
    expect(answer).toEqual({ status: 200 });
    expect(await stored(m.id)).toMatchObject({ state: 'accepted', receipt: null });
    expect(alice.events.of('chats:message-received')).toHaveLength(0);
    expect((await storage.listConversations()).some((c) => c.accountId === alice.accountId && c.peer === mallory.aor)).toBe(false);
  });

  it('duplicates change nothing: the same IMDN twice, or delivered after read (receipts only move forward)', async () => {
    const { alice, bob } = await pair();
    const m = await sendText(alice, bob, 'once');
    const bobConv = (await storage.listConversations()).find((c) => c.accountId === bob.accountId)!;
    const incoming = (await storage.pageMessages(bobConv.id, null, 10)).messages[0]!;
    await bob.receipts.displayed(bobConv.id, [incoming.id]);
    await bob.receipts.idle();
    const changes = alice.events.of('chats:message-changed').length;
    const imdns = bob.sent.filter((r) => parseCpim(r.body).ok && r.body.includes('imdn+xml'));
    // replay both IMDNs (same IMDN Message-IDs) and the delivery one under a new id
    for (const r of imdns) {
      await alice.chats.receive(alice.accountId, { from: bob.aor, fromDisplayName: null, contentType: r.contentType, body: r.body, callId: `re-${String(Math.random())}`, cseq: 1, date: null, expiresSeconds: null, dialog: null });
    }
    const delivery = parseCpim(imdns[0]!.body);
    const again = formatCpim({
      from: { uri: bob.aor }, to: { uri: alice.aor }, dateTime: new Date(), messageId: 'fresh-id',
      contentType: 'message/imdn+xml', contentDisposition: 'notification', content: delivery.ok ? delivery.message.content : '',
    });
    await alice.chats.receive(alice.accountId, { from: bob.aor, fromDisplayName: null, contentType: 'message/cpim', body: again, callId: 'late', cseq: 1, date: null, expiresSeconds: null, dialog: null });
    expect(alice.events.of('chats:message-changed')).toHaveLength(changes);
    expect(await stored(m.id)).toMatchObject({ receipt: 'read' });
  });

  it('no display notification when the user turned read receipts off; delivery ones still go', async () => {
    const { alice, bob } = await pair();
    bob.readReceipts = false;
    const m = await sendText(alice, bob, 'private');
    const bobConv = (await storage.listConversations()).find((c) => c.accountId === bob.accountId)!;
    const incoming = (await storage.pageMessages(bobConv.id, null, 10)).messages[0]!;
    expect(await bob.receipts.displayed(bobConv.id, [incoming.id])).toBe(0);
    await bob.receipts.idle();
    expect(imdnsIn(bob)).toHaveLength(1);
    expect(await stored(m.id)).toMatchObject({ receipt: 'delivered' });
  });

  it('never sends a receipt to a CPIM From that is not the SIP From (no receipts to strangers, §13)', async () => {
    const { alice, bob } = await pair();
    const body = formatCpim({
      from: { uri: 'sip:victim@elsewhere.test' }, to: { uri: bob.aor }, dateTime: new Date(), messageId: 'm-forged',
      dispositionNotification: 'positive-delivery, display', content: 'hi',
    });
    expect(await bob.chats.receive(bob.accountId, { from: alice.aor, fromDisplayName: null, contentType: 'message/cpim', body, callId: 'f1', cseq: 1, date: null, expiresSeconds: null, dialog: null })).toEqual({ status: 200 });
    await bob.receipts.idle();
    expect(bob.sent).toHaveLength(0);
  });

  it('a message that asks for nothing gets no IMDN; a malformed IMDN is answered 400 and stored nowhere', async () => {
    const { alice, bob } = await pair();
    const plain = formatCpim({ from: { uri: alice.aor }, to: { uri: bob.aor }, dateTime: new Date(), messageId: 'm-plain', content: 'no receipts please' });
    await bob.chats.receive(bob.accountId, { from: alice.aor, fromDisplayName: null, contentType: 'message/cpim', body: plain, callId: 'p1', cseq: 1, date: null, expiresSeconds: null, dialog: null });
    await bob.receipts.idle();
    expect(bob.sent).toHaveLength(0);
    const bad = formatCpim({ from: { uri: alice.aor }, to: { uri: bob.aor }, dateTime: new Date(), messageId: 'm-bad', contentType: 'message/imdn+xml', content: '<imdn><oops' });
    expect(await bob.chats.receive(bob.accountId, { from: alice.aor, fromDisplayName: null, contentType: 'message/cpim', body: bad, callId: 'b1', cseq: 1, date: null, expiresSeconds: null, dialog: null })).toEqual({ status: 400, reason: 'Malformed IMDN' });
    expect(bob.events.of('chats:message-received')).toHaveLength(1);
  });
});

describe('CPIM re-delivered as text/plain (Kamailio msilo keeps no content type for message/cpim)', () => {
  beforeAll(async () => {
    storage = await openStorage(':memory:');
  });
  afterAll(() => storage.close());

  it('an envelope that parses as CPIM with an imdn Message-ID is read as CPIM; other text stays text', async () => {
    const { alice, bob } = await pair();
    const body = formatCpim({
      from: { uri: alice.aor }, to: { uri: bob.aor }, dateTime: new Date(), messageId: 'msilo-1',
      dispositionNotification: 'positive-delivery', content: 'stored and forwarded',
    });
    await bob.chats.receive(bob.accountId, { from: alice.aor, fromDisplayName: null, contentType: 'text/plain', body, callId: 's1', cseq: 1, date: null, expiresSeconds: null, dialog: null });
    const text = 'From: <sip:x@y>\nnot an envelope at all';
    await bob.chats.receive(bob.accountId, { from: alice.aor, fromDisplayName: null, contentType: 'text/plain', body: Buffer.from(text), callId: 's2', cseq: 1, date: null, expiresSeconds: null, dialog: null });
    await bob.receipts.idle();
    expect(bob.events.of('chats:message-received').map((m) => m.body)).toEqual(['stored and forwarded', text]);
    expect(imdnsIn(bob)).toHaveLength(1);
  });
});
