/**
 * Load check, bounded: 100,000 messages in one conversation (plus a smaller neighbour), inserted in one
 * transaction, then paged through the real worker. Prints the timings it measures.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCursor } from '../../../main/storage/cursor.ts';
import { openDatabase } from '../../../main/storage/database.ts';
import { MESSAGE_SQL } from '../../../main/storage/message-repository.ts';
import { createOperations } from '../../../main/storage/operations.ts';
import { openStorage, type Storage } from '../../../main/storage/storage.ts';
import type { ConversationId } from '#shared/domain/ids.ts';
import { ALICE, accountRecord, tempDir } from './fixtures.ts';

const N = 100_000;
const tmp = tempDir();
let storage: Storage;
let conv: ConversationId;
const timings: Record<string, number> = {};

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}

beforeAll(async () => {
  const path = tmp.file('big.db');
  const db = openDatabase(path);
  const ops = createOperations(db);
  ops.saveAccount(accountRecord());
  conv = ops.getOrCreateConversation(ALICE, 'sip:bob@example.test', { title: 'Bob', unknownSender: false }).id;
  const other = ops.getOrCreateConversation(ALICE, 'sip:carol@example.test', { title: 'Carol', unknownSender: false }).id;
  const t0 = performance.now();
  db.exec('BEGIN IMMEDIATE');
  // every trigger (counters) runs per row, exactly as for messages stored one by one; the search index,
  // which the repository fills (migration 0012), is built once at the end
  db.prepare(`WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < :last)
    INSERT INTO messages (conversation_id, account_id, direction, state, body, content_type, sip_call_id, cseq,
      created_at, bytes, read)
    SELECT CASE WHEN i % 10 = 9 THEN :other ELSE :conv END, :acc, CASE WHEN i % 2 = 0 THEN 'in' ELSE 'out' END,
      'received', 'message ' || i || ' about lunch and the quarterly report', 'text/plain', 'call-' || i, 1,
      1700000000000 + i * 1000 - (i % 3), 48, 1
    FROM n`).run({ last: Math.round(N / 0.9) - 1, conv: Number(conv), other: Number(other), acc: ALICE });
  db.exec(`INSERT INTO messages_fts (messages_fts) VALUES ('rebuild')`);
  db.exec('COMMIT');
  timings['insert (one transaction, ms)'] = performance.now() - t0;
  db.close();
  storage = await openStorage(path);
}, 20_000);

afterAll(async () => {
  await storage.close();
  tmp.remove();
  console.log('[storage 100k]', Object.entries(timings).map(([k, v]) => `${k}: ${v.toFixed(2)}`).join('; '));
});

describe(`a conversation with ${String(N)} messages`, () => {
  it('pages newest first through the worker, every page in order (timings printed, not asserted)', async () => {
    const first = await storage.pageMessages(conv, null, 50);
    expect(first.total).toBe(N);
    expect(first.messages).toHaveLength(50);
    const durations: number[] = [];
    let cursor = first.nextCursor;
    let previous = first.messages.at(-1)?.createdAt ?? Infinity;
    for (let i = 0; i < 40 && cursor !== null; i++) {
      const t = performance.now();
      const page = await storage.pageMessages(conv, cursor, 50);
      durations.push(performance.now() - t);
      for (const m of page.messages) {
        expect(m.createdAt).toBeLessThanOrEqual(previous);
        previous = m.createdAt;
      }
      cursor = page.nextCursor;
    }
    timings['page of 50 via worker, median (ms)'] = median(durations);
    timings['page of 50 via worker, max (ms)'] = Math.max(...durations);
    expect(durations).toHaveLength(40);
  });

  it('pages the oldest end by keyset (not OFFSET): older rows only; speed is proven by the query plan below', async () => {
    // a key at the oldest ~200 s of history
    const cursor = encodeCursor({ createdAt: 1700000000000 + 200 * 1000, id: 1 });
    const t = performance.now();
    const page = await storage.pageMessages(conv, cursor, 50);
    timings['oldest page via worker (ms)'] = performance.now() - t;
    expect(page.messages.length).toBeGreaterThan(0);
    expect(page.messages.every((m) => m.createdAt < 1700000000000 + 200 * 1000)).toBe(true);
  });

  it('MUST use messages_by_conversation for the page query, not a scan and sort', () => {
    const db = openDatabase(tmp.file('big.db'));
    const detail = db
      .prepare(`EXPLAIN QUERY PLAN ${MESSAGE_SQL.olderPage}`)
      .all({ c: Number(conv), t: 1, i: 1, n: 50 })
      .map((r) => String(r['detail']))
      .join('\n');
    db.close();
    expect(detail).toMatch(/USING INDEX messages_by_conversation/);
    expect(detail).not.toMatch(/SCAN|TEMP B-TREE/);
  });

  it('searches the full text and lists conversations quickly', async () => {
    let t = performance.now();
    const hits = await storage.search('quarterly lunch', 50);
    timings['search, 50 of ~111k hits (ms)'] = performance.now() - t;
    expect(hits).toHaveLength(50);
    t = performance.now();
    const list = await storage.listConversations();
    timings['listConversations (ms)'] = performance.now() - t;
    expect(list.map((c) => c.title)).toEqual(['Carol', 'Bob']);
  });
});
