/**
 * IMDN retry (RFC 5438 over RFC 3428): a delivery notification that did not get through for a reason that
 * may pass is sent again — the same bytes, so the peer dedups by its Message-ID — after 5 s, 30 s, 2 min,
 * 10 min, then given up; a final refusal is not retried. Time is a fake clock.
 */
import { describe, expect, it } from 'vitest';
import type { AccountId } from '#shared/domain/ids.ts';
import type { PagerOutcome, PagerRequest } from '../../../../main/services/chats/pager.ts';
import { MAX_RETRYING, ReceiptsService } from '../../../../main/services/receipts/receipts-service.ts';
import { FakeClock } from '../../../support/fake-clock.ts';

const ACCOUNT = 'acc-1' as AccountId;
const BOB = 'sip:bob@example.test';
const ok: PagerOutcome = { kind: 'response', status: 200, reason: 'OK', accept: null };
const code = (status: number): PagerOutcome => ({ kind: 'response', status, reason: 'x', accept: null });

function rig(outcomes: PagerOutcome[], fallback: PagerOutcome = { kind: 'timeout' }) {
  const clock = new FakeClock(0);
  const sent: { at: number; request: PagerRequest }[] = [];
  const errors: string[] = [];
  let id = 0;
  const receipts = new ReceiptsService({
    clock,
    storage: {} as never,
    accounts: { get: async () => ({ aor: 'sip:alice@example.test' }) as never },
    sender: {
      send: async (request) => {
        sent.push({ at: clock.now(), request });
        return outcomes.shift() ?? fallback;
      },
      isCongestionControlled: () => true,
    },
    emit: () => undefined,
    now: () => 1_700_000_000_000,
    newMessageId: () => `imdn-${String(++id)}`,
    sendReadReceipts: () => true,
    onError: (m) => errors.push(m),
  });
  const deliver = (messageId: string) => receipts.stored(ACCOUNT, BOB, { messageId, dispositionNotification: 'positive-delivery', from: { uri: BOB } as never });
  const settle = async () => {
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    await receipts.idle();
  };
  const run = async (ms: number) => {
    clock.advance(ms);
    await settle();
  };
  return { clock, sent, errors, receipts, deliver, settle, run, at: () => sent.map((s) => s.at) };
}

describe('IMDN retry (bounded)', () => {
  it('no answer: the same IMDN again after 5 s, 30 s, 2 min, 10 min, then given up (5 attempts in all)', async () => {
    const r = rig([]);
    r.deliver('m1');
    await r.settle();
    for (const step of [5_000, 30_000, 120_000, 600_000, 3_600_000]) await r.run(step);
    expect(r.at()).toEqual([0, 5_000, 35_000, 155_000, 755_000]);
    const bodies = new Set(r.sent.map((s) => s.request.body.toString('latin1')));
    expect(bodies.size).toBe(1);
    expect([...bodies][0]).toContain('Message-ID: imdn-1');
    expect(r.errors).toEqual(['IMDN delivered for m1 not accepted (given up)']);
    expect(r.receipts.retrying).toBe(0);
  });

  it('stops at the first success; transport errors, not registered, 408/480/503 are retried', async () => {
    const r = rig([{ kind: 'transport-error', reason: 'refused' }, { kind: 'not-registered' }, code(503), code(480), ok]);
    r.deliver('m2');
    await r.settle();
    for (const step of [5_000, 30_000, 120_000, 600_000, 3_600_000]) await r.run(step);
    expect(r.at()).toEqual([0, 5_000, 35_000, 155_000, 755_000]);
    expect(r.errors).toEqual([]);
  });

  it('a final refusal (404, 415, 403, 488) is not retried', async () => {
    for (const status of [404, 415, 403, 488]) {
      const r = rig([code(status)]);
      r.deliver('m3');
      await r.settle();
      await r.run(3_600_000);
      expect(r.sent).toHaveLength(1);
      expect(r.errors).toEqual(['IMDN delivered for m3 not accepted']);
    }
  });

  it(`at most ${String(MAX_RETRYING)} wait at once; dispose drops them (quit)`, async () => {
    const r = rig([]);
    for (let i = 0; i < MAX_RETRYING + 3; i++) r.deliver(`n${String(i)}`);
    await r.settle();
    expect(r.receipts.retrying).toBe(MAX_RETRYING);
    expect(r.errors.filter((e) => e.endsWith('(given up)'))).toHaveLength(3);
    r.receipts.dispose();
    const before = r.sent.length;
    await r.run(3_600_000);
    expect(r.sent.length).toBe(before);
  });
});
