import { afterEach, describe, expect, it } from 'vitest';
import type { ConversationId } from '#shared/domain/ids.ts';
import type { MessageProtectionDto } from '#shared/domain/security.ts';
import { openStorage, type Storage } from '../../../main/storage/storage.ts';
import { ALICE, accountRecord, incoming, outgoing, tempDir } from './fixtures.ts';

const verified: MessageProtectionDto = {
  encrypted: true,
  signature: 'verified',
  trust: 'verified',
  signer: 'sip:bob@example.test',
  fingerprint: 'ab'.repeat(32),
  summary: 'signed by bob@example.test ✓ verified · encrypted',
  warning: false,
};

describe('S/MIME state at rest (migration 0005)', () => {
  const tmp = tempDir();
  let storage: Storage | null = null;
  afterEach(async () => {
    await storage?.close();
    storage = null;
    tmp.remove();
  });

  async function conversation(s: Storage): Promise<ConversationId> {
    await s.saveAccount(accountRecord());
    return (await s.getOrCreateConversation(ALICE, 'sip:bob@example.test', { title: 'Bob', unknownSender: false, createdAt: 1 })).id;
  }

  it('keeps identity, trust store, replay cache, conversation setting and bubble state across a restart', async () => {
    const file = tmp.file('s.db');
    let s = await openStorage(file);
    const c = await conversation(s);
    await s.saveSmimeIdentity({ accountId: ALICE, certificate: new Uint8Array([0x30, 1]), sealedKey: new Uint8Array([9, 9]), enabled: true, createdAt: 5 });
    await s.savePeerCertificate({ address: 'bob@example.test', certificate: new Uint8Array([0x30, 2]), fingerprint: 'f1', level: 'unverified', learnedAt: 6, pending: { certificate: new Uint8Array([0x30, 3]), fingerprint: 'f2', seenAt: 7 } });
    await s.rememberReplay('k1', 100, 10);
    expect(await s.getConversationProtection(c)).toEqual({ setting: null, required: false });
    expect(await s.setConversationProtection(c, 'sign', true)).toBe(true);
    const inbound = await s.insertIncoming(incoming(c, { protection: verified }));
    const sent = await s.insertOutgoing(outgoing(c));
    await s.updateMessageState(sent.id, 'sending', null, null, 1, { protection: { ...verified, trust: null, summary: 'signed · encrypted' } });
    await s.close();

    storage = s = await openStorage(file);
    expect(await s.getSmimeIdentity(ALICE)).toMatchObject({ certificate: new Uint8Array([0x30, 1]), sealedKey: new Uint8Array([9, 9]), enabled: true });
    expect(await s.setSmimeIdentityEnabled(ALICE, false)).toBe(true);
    expect((await s.getSmimeIdentity(ALICE))?.enabled).toBe(false);
    expect(await s.listPeerCertificates()).toEqual([
      { address: 'bob@example.test', certificate: new Uint8Array([0x30, 2]), fingerprint: 'f1', level: 'unverified', learnedAt: 6, pending: { certificate: new Uint8Array([0x30, 3]), fingerprint: 'f2', seenAt: 7 } },
    ]);
    expect(await s.replayEntries()).toEqual([['k1', 100]]);
    expect(await s.getConversationProtection(c)).toEqual({ setting: 'sign', required: true });
    const page = await s.pageMessages(c, null, 10);
    const byId = new Map(page.messages.map((m) => [m.id, m]));
    expect('inserted' in inbound && byId.get(inbound.inserted.id)?.protection).toEqual(verified);
    expect(byId.get(sent.id)?.protection?.summary).toBe('signed · encrypted');
    // a state change without protection facts keeps the recorded ones
    await s.updateMessageState(sent.id, 'delivered', 200, null, null);
    expect((await s.getMessage(sent.id))?.protection?.summary).toBe('signed · encrypted');
  });

  it('bounds the replay cache: the oldest inner Dates go first, a repeated key is stored once', async () => {
    storage = await openStorage(':memory:');
    for (let i = 0; i < 30; i++) await storage.rememberReplay(`k${String(i)}`, 1_000 + ((i * 7) % 30), 20);
    await storage.rememberReplay('k29', 5, 20);
    const entries = await storage.replayEntries();
    expect(entries).toHaveLength(20);
    const dates = entries.map(([, d]) => d);
    expect(Math.min(...dates)).toBe(1_010); // the ten oldest of 1000..1029 were dropped
    expect(dates).toEqual([...dates].sort((a, b) => a - b));
  });

  it('a message without protection has none on its DTO; an unknown conversation has no setting', async () => {
    storage = await openStorage(':memory:');
    const c = await conversation(storage);
    const m = await storage.insertOutgoing(outgoing(c));
    expect('protection' in m).toBe(false);
    expect(await storage.getConversationProtection('999' as ConversationId)).toBeNull();
  });
});
