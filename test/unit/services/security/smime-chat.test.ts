/**
 * S/MIME through the real chat services (RFC 3428 §11.3): Alice's outbox protects, Bob's receive path
 * verifies/decrypts, both over real storage; the pager seam hands Alice's request to Bob's UAS logic.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AccountId } from '#shared/domain/ids.ts';
import type { MessageDto } from '#shared/domain/chat.ts';
import { ChatService } from '../../../../main/services/chats/chat-service.ts';
import type { PagerOutcome, PagerRequest } from '../../../../main/services/chats/pager.ts';
import { AccountsService } from '../../../../main/services/accounts.ts';
import { createTestSecretStore } from '../../../../main/services/secret-store.ts';
import { SmimeService } from '../../../../main/services/security/smime-service.ts';
import { decodeTransfer } from '../../../../main/security/smime-transfer.ts';
import { openStorage, type Storage } from '../../../../main/storage/storage.ts';
import { accountRecord, tempDir } from '../../storage/fixtures.ts';
import { EventLog, ScriptedPager } from '../chats/harness.ts';

const ALICE = 'acc-alice' as AccountId;
const BOB = 'acc-bob' as AccountId;

interface Side {
  storage: Storage;
  chats: ChatService;
  smime: SmimeService;
  pager: ScriptedPager;
  events: EventLog;
}

const clock = { now: Date.parse('2026-12-06T15:00:00Z') };
const tmp = tempDir();
const secrets = createTestSecretStore();

async function side(id: AccountId, aor: string, file: string): Promise<Side> {
  const storage = await openStorage(tmp.file(file));
  if ((await storage.getAccount(id)) === null) await storage.saveAccount(accountRecord({ id, aor }));
  const events = new EventLog();
  const accounts = new AccountsService({ storage, secrets, emit: events.emit });
  const smime = await SmimeService.open({ storage, secrets, accounts, now: () => clock.now });
  const pager = new ScriptedPager();
  const chats = new ChatService({
    storage, sender: pager, emit: events.emit, now: () => clock.now,
    smime: smime.receiveDeps(), smimeSend: smime,
    onError: (m, e) => { throw new Error(`${m}: ${String(e)}`); },
  });
  return { storage, chats, smime, pager, events };
}

/** What Bob's UAS answers to Alice's request, as Alice's pager outcome. */
function wire(to: Side, account: AccountId, from: string, log: { request: PagerRequest; status: number; reason?: string }[]) {
  let cseqCall = 0;
  return async (request: PagerRequest): Promise<PagerOutcome> => {
    cseqCall++;
    const answer = await to.chats.receive(account, {
      from, fromDisplayName: null, contentType: request.contentType, body: request.body, contentTransferEncoding: request.contentTransferEncoding ?? null,
      callId: request.wire?.callId ?? `c${String(cseqCall)}`, cseq: request.wire?.cseq ?? 1, date: request.date,
      expiresSeconds: request.expiresSeconds, dialog: null,
    });
    log.push({ request, status: answer.status, ...('reason' in answer ? { reason: answer.reason } : {}) });
    return { kind: 'response', status: answer.status, reason: 'reason' in answer ? answer.reason : 'OK', accept: answer.status === 415 ? answer.accept : null };
  };
}

async function sendAndSettle(s: Side, conversationId: MessageDto['conversationId'], body: string): Promise<MessageDto> {
  const out = await s.chats.send({ conversationId, body, expiresInSeconds: null, oversize: null });
  if (out.kind !== 'queued') throw new Error('not queued');
  await s.chats.idle();
  const m = await s.storage.getMessage(out.messages[0]!.id);
  if (m === null) throw new Error('vanished');
  return m;
}

async function inbox(s: Side): Promise<MessageDto[]> {
  const [c] = await s.storage.listConversations();
  return c ? [...(await s.storage.pageMessages(c.id, null, 50)).messages].reverse() : [];
}

let alice: Side;
let bob: Side;
let log: { request: PagerRequest; status: number; reason?: string }[];

beforeEach(async () => {
  alice = await side(ALICE, 'sip:alice@pbx.test', 'alice.db');
  bob = await side(BOB, 'sip:bob@pbx.test', 'bob.db');
  log = [];
  alice.pager.congestionControlled = true; // TCP/TLS first hop unless a test says otherwise
  alice.pager.auto = null;
  const deliver = wire(bob, BOB, 'sip:alice@pbx.test', log);
  alice.pager.send = async (request) => { alice.pager.requests.push(request); return deliver(request); };
}, 30_000);
afterEach(async () => {
  await alice.storage.close();
  await bob.storage.close();
  tmp.remove();
});

describe('S/MIME through the chat services (RFC 3428 §11.3)', () => {
  it('first message is signed (Bob learns Alice on first use); once Bob holds Alice’s certificate his reply is signed and encrypted', async () => {
    await alice.smime.generate(ALICE);
    await bob.smime.generate(BOB);
    const conv = await alice.chats.openConversation(ALICE, 'sip:bob@pbx.test');
    expect((await alice.smime.getConversationProtection(conv.id)).effective).toBe('sign');
    const sent = await sendAndSettle(alice, conv.id, 'hello Bob, this is secret');
    expect(sent).toMatchObject({ state: 'delivered', protection: { signature: 'verified', encrypted: false, summary: 'signed by you (not encrypted)' } });
    const req = log[0]!.request;
    // RFC 8551 §3.5.2 body, RFC 3261 §23.4.3 disposition
    expect(req.contentType).toContain('application/pkcs7-mime;smime-type=signed-data');
    expect(req.contentDisposition).toBe('attachment;handling=required;filename=smime.p7m');
    const [got] = await inbox(bob);
    expect(got).toMatchObject({ body: 'hello Bob, this is secret', protection: { signature: 'verified', trust: 'first-use', encrypted: false, warning: false } });
    expect(got?.protection?.summary).toContain('signed by alice@pbx.test (not verified yet)');

    // Bob now holds Alice's certificate: default is sign+encrypt
    const back = await bob.chats.openConversation(BOB, 'sip:alice@pbx.test');
    expect((await bob.smime.getConversationProtection(back.id)).effective).toBe('sign+encrypt');
    const replyLog: typeof log = [];
    const deliver = wire(alice, ALICE, 'sip:bob@pbx.test', replyLog);
    bob.pager.congestionControlled = true;
    bob.pager.send = async (r) => deliver(r);
    const reply = await sendAndSettle(bob, back.id, 'hi Alice, also secret');
    expect(reply.protection).toMatchObject({ encrypted: true, summary: 'signed by you · encrypted' });
    expect(replyLog[0]!.request.contentType).toContain('smime-type=enveloped-data');
    expect(replyLog[0]!.request.body.includes('also secret')).toBe(false);
    const aliceIn = (await inbox(alice)).find((m) => m.direction === 'in');
    expect(aliceIn).toMatchObject({ body: 'hi Alice, also secret', protection: { encrypted: true, signature: 'verified' } });

    // verified after comparing the safety number; survives a restart (trust store persisted)
    const [cert] = await bob.smime.listContactCertificates();
    await bob.smime.markVerified(cert!.address, cert!.fingerprint);
    const reopened = await SmimeService.open({ storage: bob.storage, secrets, accounts: new AccountsService({ storage: bob.storage, secrets, emit: () => undefined }), now: () => clock.now });
    expect((await reopened.listContactCertificates())[0]).toMatchObject({ address: 'alice@pbx.test', level: 'verified' });
    expect(cert!.safetyNumber).toMatch(/^(\d{5} ){11}\d{5}$/);
  });

  it('the same protected request again is refused with 400 and a reason, recorded in diagnostics; the replay cache survives a restart', async () => {
    await alice.smime.generate(ALICE);
    const conv = await alice.chats.openConversation(ALICE, 'sip:bob@pbx.test');
    await sendAndSettle(alice, conv.id, 'pay 100 to Carol');
    const original = log[0]!.request;
    const replayed = await bob.chats.receive(BOB, { from: 'sip:alice@pbx.test', fromDisplayName: null, contentType: original.contentType, body: original.body, callId: 'attacker-1', cseq: 1, date: original.date, expiresSeconds: null, dialog: null });
    expect(replayed).toEqual({ status: 400, reason: 'Replayed Protected Message' });
    expect(bob.smime.diagnostics().some((d) => d.event === 'smime-replay')).toBe(true);
    // after a restart of Bob's app (storage reopened, new services), the capture is still refused
    await bob.storage.close();
    bob = await side(BOB, 'sip:bob@pbx.test', 'bob.db');
    const afterRestart = await bob.chats.receive(BOB, { from: 'sip:alice@pbx.test', fromDisplayName: null, contentType: original.contentType, body: original.body, callId: 'attacker-3', cseq: 1, date: original.date, expiresSeconds: null, dialog: null });
    expect(afterRestart).toEqual({ status: 400, reason: 'Replayed Protected Message' });
    // an old capture (outside ±5 min) is refused for its Date
    clock.now += 10 * 60_000;
    const late = await bob.chats.receive(BOB, { from: 'sip:alice@pbx.test', fromDisplayName: null, contentType: original.contentType, body: original.body, callId: 'attacker-2', cseq: 1, date: null, expiresSeconds: null, dialog: null });
    expect(late).toEqual({ status: 400, reason: 'Protected Message Too Old (Replay?)' });
    expect((await inbox(bob)).length).toBe(1);
  });

  it('a tampered message is kept and flagged, never shown as trusted; a signer other than From is a sender mismatch', async () => {
    await alice.smime.generate(ALICE);
    const conv = await alice.chats.openConversation(ALICE, 'sip:bob@pbx.test');
    await sendAndSettle(alice, conv.id, 'transfer 100');
    // the attacker on the path decodes the base64 body (RFC 8551 §3.1.3), alters the signed text, sends it on
    const body = Buffer.from(decodeTransfer(log[0]!.request.body, log[0]!.request.contentTransferEncoding));
    const at = body.indexOf('transfer 100');
    expect(at).toBeGreaterThan(0);
    body[at + 9] = '9'.charCodeAt(0);
    const r = await bob.chats.receive(BOB, { from: 'sip:alice@pbx.test', fromDisplayName: null, contentType: log[0]!.request.contentType, body, callId: 'x1', cseq: 1, date: null, expiresSeconds: null, dialog: null });
    expect(r.status).toBe(200);
    const mismatch = await bob.chats.receive(BOB, { from: 'sip:mallory@pbx.test', fromDisplayName: null, contentType: log[0]!.request.contentType, body: log[0]!.request.body, callId: 'x2', cseq: 1, date: null, expiresSeconds: null, dialog: null });
    expect(mismatch.status).toBe(200);
    const all = (await bob.storage.listConversations()).flatMap((c) => c.peer);
    expect(all).toContain('sip:mallory@pbx.test');
    const msgs = [];
    for (const c of await bob.storage.listConversations()) msgs.push(...(await bob.storage.pageMessages(c.id, null, 10)).messages);
    const tampered = msgs.find((m) => m.body.includes('transfer 900'));
    expect(tampered?.protection).toMatchObject({ signature: 'invalid', warning: true });
    expect(tampered?.protection?.summary).toContain('signature invalid');
    const mis = msgs.find((m) => m.protection?.signature === 'sender-mismatch');
    expect(mis?.protection).toMatchObject({ warning: true });
    expect(mis?.protection?.summary).toContain('sender mismatch');
  });

  it('415 from a peer without S/MIME: "required" fails the message and sends nothing in clear; otherwise re-sent in clear with the next CSeq and marked so', async () => {
    await alice.smime.generate(ALICE);
    const noSmime = await side(BOB, 'sip:bob@pbx.test', 'plain.db'); // Bob's app without S/MIME on the receive path
    const plainLog: typeof log = [];
    const deliver = async (request: PagerRequest): Promise<PagerOutcome> => {
      const isSmime = request.contentType.startsWith('application/pkcs7-mime');
      plainLog.push({ request, status: isSmime ? 415 : 200 });
      return isSmime ? { kind: 'response', status: 415, reason: 'Unsupported Media Type', accept: ['text/plain'] } : { kind: 'response', status: 200, reason: 'OK', accept: null };
    };
    alice.pager.send = deliver;
    const conv = await alice.chats.openConversation(ALICE, 'sip:bob@pbx.test');
    await alice.smime.setConversationProtection(conv.id, 'sign', true);
    const refused = await sendAndSettle(alice, conv.id, 'only protected please');
    expect(refused).toMatchObject({ state: 'failed', code: 415 });
    expect(refused.reason).toContain('requires protection');
    // nothing went out in clear (a signed-data body is readable, but it is signed, never text/plain)
    expect(plainLog.map((l) => l.request.contentType.split(';')[0])).toEqual(['application/pkcs7-mime']);

    await alice.smime.setConversationProtection(conv.id, null, false);
    const fell = await sendAndSettle(alice, conv.id, 'fine in clear');
    expect(fell).toMatchObject({ state: 'delivered', protection: { signature: 'unsigned', warning: true } });
    const [p, c] = plainLog.slice(-2);
    expect(p?.request.contentType).toContain('pkcs7-mime');
    expect(c?.request.contentType).toContain('text/plain');
    expect(c?.request.wire?.cseq).toBe((p?.request.wire?.cseq ?? 0) + 1);
    await noSmime.storage.close();
  });

  it('over UDP the protected request is measured as sent: over 1300 bytes it fails with its real size (RFC 3428 §8), never goes out smaller in clear', async () => {
    await alice.smime.generate(ALICE);
    alice.pager.congestionControlled = false;
    const conv = await alice.chats.openConversation(ALICE, 'sip:bob@pbx.test');
    const m = await sendAndSettle(alice, conv.id, 'short');
    expect(m.state).toBe('failed');
    const bytes = Number(/not sent: (\d+) bytes once protected/.exec(m.reason ?? '')?.[1]);
    expect(bytes).toBeGreaterThan(1300);
    expect(m.reason).toContain('use TCP or TLS');
    expect(log).toHaveLength(0);
  });

  it('over UDP with a proxy that also takes TCP, the large protected request is sent (the stack moves it to TCP, RFC 3261 §18.1.1) and arrives verified', async () => {
    await alice.smime.generate(ALICE);
    alice.pager.congestionControlled = false;
    alice.pager.largeRequestsOverTcp = true;
    const conv = await alice.chats.openConversation(ALICE, 'sip:bob@pbx.test');
    const m = await sendAndSettle(alice, conv.id, 'big but whole');
    expect(m).toMatchObject({ state: 'delivered', protection: { signature: 'verified' } });
    expect(log).toHaveLength(1);
    expect(log[0]?.request.contentTransferEncoding).toBe('base64');
    expect(log[0]?.request.body.length).toBeGreaterThan(1300);
    expect((await inbox(bob)).map((x) => x.body)).toEqual(['big but whole']);
  });

  it('required protection without a key never sends: the message fails with the reason', async () => {
    const conv = await alice.chats.openConversation(ALICE, 'sip:bob@pbx.test');
    await alice.smime.setConversationProtection(conv.id, 'sign', true);
    const m = await sendAndSettle(alice, conv.id, 'nope');
    expect(m).toMatchObject({ state: 'failed' });
    expect(m.reason).toContain('not sent');
    expect(log).toHaveLength(0);
  });
});
