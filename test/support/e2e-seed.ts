/** Seeds the test host's REAL services (accounts service, storage) with an account and a history. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAppServices, type AppServices } from '../../main/services/app-services.ts';
import { createTestSecretStore, type SecretStore } from '../../main/services/secret-store.ts';
import { inTransaction, openDatabase } from '../../main/storage/database.ts';
import type { AccountDto } from '#shared/domain/account.ts';
import type { ConversationDto } from '#shared/domain/chat.ts';

/** the database file createAppServices opens in its data dir (its default databasePath) */
const DATABASE_FILE = 'messenger.db';

export async function seedAccount(services: AppServices, aor = 'sip:alice@127.0.0.1', enabled = true): Promise<AccountDto> {
  return services.handlers['accounts:save']({
    id: null, aor, displayName: 'Alice', authUser: '', password: 'pw', registrar: '127.0.0.1', outboundProxy: null,
    transport: 'udp', port: null, cpim: false, pinnedCertificate: null, enabled,
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

/**
 * A data dir whose database already holds one conversation of `count` incoming messages, for the host
 * to open (startHost({ dataDir, secrets })). The account and the conversation are made through the real
 * services; the messages go in through ONE transaction over a direct node:sqlite connection opened with
 * the app's openDatabase (its migrations and triggers), before any host opens the file.
 * Message i (0 = oldest) has body `body(i)`, messages a minute apart ending now.
 */
export interface BulkHistory {
  readonly dataDir: string;
  readonly secrets: SecretStore;
  readonly conversation: ConversationDto;
  /** wall time of the bulk insert */
  readonly insertMs: number;
  dispose(): Promise<void>;
}

export async function seedBulkHistory(count: number, body: (i: number) => string, peer = 'sip:history@127.0.0.1'): Promise<BulkHistory> {
  const dataDir = await mkdtemp(join(tmpdir(), 'sipm-bulk-'));
  const secrets = createTestSecretStore();
  const services = await createAppServices({ dataDir, secrets, appVersion: 'seed', sip: { bindAddress: '127.0.0.1' } });
  let conversation: ConversationDto;
  try {
    await seedAccount(services, 'sip:alice@127.0.0.1', false);
    conversation = await seedConversation(services, peer);
  } finally {
    await services.dispose();
  }
  const started = performance.now();
  const db = openDatabase(join(dataDir, DATABASE_FILE));
  try {
    // a bigger page cache for the one big transaction (this connection only)
    db.exec('PRAGMA cache_size = -65536');
    // the repository's INSERT without its per-row read-back (2x faster); the schema's triggers still keep
    // the conversation counters, and each row goes into the FTS index as the repository does (migration 0012)
    const insert = db.prepare(`INSERT INTO messages (conversation_id, account_id, direction, state, body, content_type,
        created_at, bytes, read) VALUES (:c, :a, 'in', 'received', :body, 'text/plain', :at, :bytes, 1)`);
    const index = db.prepare('INSERT INTO messages_fts (rowid, body) VALUES (?, ?)');
    const c = Number(conversation.id);
    const endAt = Date.now();
    inTransaction(db, () => {
      for (let i = 0; i < count; i++) {
        const text = body(i);
        const r = insert.run({ c, a: conversation.accountId, body: text, at: endAt - (count - 1 - i) * 60_000, bytes: Buffer.byteLength(text, 'utf8') });
        index.run(Number(r.lastInsertRowid), text);
      }
    });
  } finally {
    db.close();
  }
  return {
    dataDir,
    secrets,
    conversation,
    insertMs: performance.now() - started,
    dispose: () => rm(dataDir, { recursive: true, force: true }),
  };
}
