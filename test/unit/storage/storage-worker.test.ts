import { afterEach, describe, expect, it } from 'vitest';
import type { AccountId, ContactId } from '#shared/domain/ids.ts';
import { openStorage, StorageError, type Storage } from '../../../main/storage/storage.ts';
import { allowHeapReclaim } from '../../../main/storage/heap-reclaim.ts';
import { ALICE, accountRecord, tempDir } from './fixtures.ts';
import { migrations } from '../../../main/storage/migrations/index.ts';

describe('storage worker (SQLite off the main event loop)', () => {
  let storage: Storage | null = null;
  afterEach(async () => {
    await storage?.close();
    storage = null;
  });

  it('opens an in-memory database migrated to the latest schema with foreign keys on', async () => {
    storage = await openStorage(':memory:');
    const info = await storage.info();
    expect(info.schemaVersion).toBe(migrations.length);
    expect(info.foreignKeys).toBe(true);
  });

  it('opens a file database in WAL mode and keeps data across re-open', async () => {
    const tmp = tempDir();
    try {
      const s1 = await openStorage(tmp.file('x.db'));
      expect(await s1.info()).toMatchObject({ journalMode: 'wal', schemaVersion: migrations.length, foreignKeys: true });
      await s1.saveContact({ id: 'c1' as ContactId, displayName: 'Bob', address: 'sip:bob@example.test', note: '', createdAt: 1 });
      await s1.close();
      storage = await openStorage(tmp.file('x.db'));
      expect((await storage.listContacts()).map((c) => c.displayName)).toEqual(['Bob']);
    } finally {
      await storage?.close();
      storage = null;
      tmp.remove();
    }
  });

  it('carries blobs across the thread boundary as bytes', async () => {
    storage = await openStorage(':memory:');
    await storage.saveAccount(accountRecord({ passwordSecret: Buffer.from([0, 1, 2, 255]) }));
    expect(await storage.getAccountSecret(ALICE)).toEqual(new Uint8Array([0, 1, 2, 255]));
  });

  it('rejects arguments that cannot cross the thread boundary, and keeps serving', async () => {
    storage = await openStorage(':memory:');
    const notCloneable = (() => 'x') as unknown as string;
    await expect(storage.findContactByAddress(notCloneable)).rejects.toThrow(/cannot send findContactByAddress/);
    expect(await storage.listContacts()).toEqual([]);
  });

  it('gives its grown heap back on reclaimMemory (issue 10, after a flood) and keeps serving', async () => {
    // the app allows it from the main thread before the worker starts (createAppServices); the worker sets no V8 flag
    allowHeapReclaim();
    storage = await openStorage(':memory:');
    // grow the worker's heap with garbage (contacts listed many times), then reclaim
    await storage.saveContact({ id: 'c1' as ContactId, displayName: 'x'.repeat(4000), address: 'sip:x@example.test', note: 'y'.repeat(60_000), createdAt: 1 });
    await Promise.all(Array.from({ length: 400 }, () => storage!.listContacts()));
    const grown = await storage.workerHeap();
    await storage.reclaimMemory();
    const after = await storage.workerHeap();
    expect(after.total).toBeLessThan(grown.total);
    expect((await storage.listContacts()).map((c) => c.address)).toEqual(['sip:x@example.test']);
  });

  it('answers one round trip per repository operation', async () => {
    storage = await openStorage(':memory:');
    expect(await storage.listAccounts()).toEqual([]);
    expect(await storage.listConversations()).toEqual([]);
  });

  it('rejects a failed operation with the SQLite message and keeps serving', async () => {
    storage = await openStorage(':memory:');
    const p = storage.getOrCreateConversation('nope' as AccountId, 'sip:bob@example.test', { title: 'Bob', unknownSender: false });
    await expect(p).rejects.toBeInstanceOf(StorageError);
    await expect(p).rejects.toThrow(/FOREIGN KEY/);
    expect(await storage.listContacts()).toEqual([]);
  });

  it('close() finishes calls already sent, then rejects later calls', async () => {
    const s = await openStorage(':memory:');
    const before = s.listContacts();
    await s.close();
    await expect(before).resolves.toEqual([]);
    await expect(s.listContacts()).rejects.toThrow(/closed/);
    await s.close();
  });

  it('rejects opening a path that cannot be a database', async () => {
    await expect(openStorage('/nonexistent-dir/sub/x.db')).rejects.toThrow(/cannot open storage/);
  });
});
