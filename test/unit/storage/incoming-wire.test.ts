import { afterEach, describe, expect, it } from 'vitest';
import type { MessageId } from '#shared/domain/ids.ts';
import { openDatabase } from '../../../main/storage/database.ts';
import type { IncomingBatchItem } from '../../../main/storage/incoming-batch.ts';
import { packIncomingBatch, unpackIncomingBatch, unpackIncomingResult } from '../../../main/storage/incoming-wire.ts';
import { createOperations } from '../../../main/storage/operations.ts';
import { ALICE, accountRecord, tempDir } from './fixtures.ts';

const protection = { encrypted: true, signature: 'verified' as const, trust: null, signer: 'sip:p@example.test', fingerprint: null, summary: 'signed', warning: false };

function item(over: Partial<IncomingBatchItem> = {}): IncomingBatchItem {
  return {
    accountId: ALICE, peer: 'sip:bob@example.test', senderName: 'Bob', body: 'hello', contentType: 'text/plain', createdAt: 7,
    expiresAt: null, dialogId: null, sipCallId: 'c1', cseq: 1, sipFromTag: 'ft', cpimMessageId: null, state: 'received',
    dateHeader: null, read: false, imdnRequest: null, protection: null, ...over,
  };
}

describe('the group commit across the thread boundary (incoming-wire.ts, issue 18)', () => {
  const tmp = tempDir();
  afterEach(() => tmp.remove());

  it('a packed batch is a flat array of values and unpacks to the same items', () => {
    const items = [
      item({ body: 'naïve ☕', expiresAt: 99, dialogId: 'd;1;2', cpimMessageId: '<m@x>', state: 'expired', dateHeader: 5, read: true, imdnRequest: 'positive-delivery', protection }),
      item({ senderName: null, sipCallId: null, cseq: null, sipFromTag: null }),
    ];
    const packed = packIncomingBatch(items);
    expect(packed.every((v) => v === null || typeof v !== 'object' || v === protection)).toBe(true);
    expect(unpackIncomingBatch(structuredClone(packed))).toEqual(items);
    // optional fields left out travel as null, which the repository reads the same way
    const { sipFromTag: _f, imdnRequest: _i, protection: _p, ...bare } = item();
    expect(unpackIncomingBatch(packIncomingBatch([bare]))).toEqual([item({ sipFromTag: null, imdnRequest: null, protection: null })]);
    expect(() => unpackIncomingBatch([1, 2, 3])).toThrow(/malformed/);
  });

  it('the worker answers with numbers only; the main side rebuilds each message exactly as storage reads it back', () => {
    const db = openDatabase(tmp.file('w.db'));
    const ops = createOperations(db);
    ops.saveAccount(accountRecord());
    const items = [
      item({ body: 'naïve ☕ café', expiresAt: 99_000, dateHeader: 5 }),
      item({ body: 'naïve ☕ café' }), // same Call-ID + CSeq + From tag: a retransmission
      item({ sipCallId: 'c2', body: 'protected', protection, state: 'expired', read: true, peer: 'sip:carol@example.test' }),
      item({ sipCallId: 'c3', accountId: 'nobody' as typeof ALICE }),
    ];
    const packed = ops.storeIncomingPacked(packIncomingBatch(items));
    expect(packed.rows.every((n) => typeof n === 'number')).toBe(true);
    expect(packed.rows.filter((_, i) => i % 3 === 0).map(Math.sign)).toEqual([1, 0, 1, -1]);
    expect(packed.errors).toHaveLength(1);
    const result = unpackIncomingResult(items, structuredClone(packed));
    expect(result.outcomes.map((o) => o.kind)).toEqual(['inserted', 'duplicate', 'inserted', 'error']);
    for (const o of result.outcomes) if (o.kind === 'inserted') expect(o.message).toEqual(ops.getMessage(o.message.id));
    const first = result.outcomes[0];
    expect(first?.kind === 'inserted' && first.message.bytes).toBe(Buffer.byteLength('naïve ☕ café', 'utf8'));
    expect(result.conversations.map((c) => c.peer).sort()).toEqual(['sip:bob@example.test', 'sip:carol@example.test']);
    expect(ops.search('café', 10).map((h) => h.message.id)).toEqual([first?.kind === 'inserted' ? first.message.id : ('' as MessageId)]);
    expect(() => unpackIncomingResult(items.slice(1), packed)).toThrow(/different number/);
    // the columns no MessageDto shows are written too, in their places
    const cols = 'account_id, direction, sip_call_id, cseq, sip_from_tag, cpim_message_id, dialog_id, imdn_request, read, protection';
    ops.storeIncomingPacked(packIncomingBatch([item({ sipCallId: 'c9', cseq: 4, cpimMessageId: '<m9@x>', dialogId: 'd;9', imdnRequest: 'positive-delivery', read: true, protection })]));
    expect(db.prepare(`SELECT ${cols} FROM messages WHERE sip_call_id = 'c9'`).get()).toEqual({
      account_id: ALICE, direction: 'in', sip_call_id: 'c9', cseq: 4, sip_from_tag: 'ft', cpim_message_id: '<m9@x>', dialog_id: 'd;9',
      imdn_request: 'positive-delivery', read: 1, protection: JSON.stringify(protection),
    });
    db.close();
  });
});
