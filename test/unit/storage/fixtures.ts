/** Test data and temp-file helpers for the storage tests (not a test file itself). */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import type { AccountRecord } from '../../../main/storage/account-repository.ts';
import type { IncomingMessageInput, OutgoingMessageInput } from '../../../main/storage/message-repository.ts';
import type { AccountId, ConversationId } from '#shared/domain/ids.ts';

/** A private temp folder; `file()` (re)creates it, so one helper serves tests that `remove()` after each. */
export function tempDir(): { file: (name: string) => string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'sipm-storage-'));
  return {
    file: (name) => {
      mkdirSync(dir, { recursive: true });
      return join(dir, name);
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export const ALICE = 'acc-alice' as AccountId;

export function accountRecord(over: Partial<AccountRecord> = {}): AccountRecord {
  return {
    id: ALICE,
    aor: 'sip:alice@example.test',
    displayName: 'Alice',
    authUser: 'alice',
    passwordSecret: null,
    registrar: 'example.test',
    outboundProxy: null,
    transport: 'udp',
    port: null,
    cpim: false,
    pinnedCertificate: null,
    enabled: true,
    createdAt: 1_000,
    ...over,
  };
}

export function incoming(conversationId: ConversationId, over: Partial<IncomingMessageInput> = {}): IncomingMessageInput {
  return {
    conversationId,
    body: 'hello',
    contentType: 'text/plain',
    createdAt: 10_000,
    expiresAt: null,
    callId: null,
    dialogId: null,
    sipCallId: null,
    cseq: null,
    cpimMessageId: null,
    state: 'received',
    dateHeader: null,
    read: false,
    ...over,
  };
}

export function outgoing(conversationId: ConversationId, over: Partial<OutgoingMessageInput> = {}): OutgoingMessageInput {
  return {
    conversationId,
    body: 'hi there',
    contentType: 'text/plain',
    createdAt: 20_000,
    expiresAt: null,
    callId: null,
    dialogId: null,
    sipCallId: null,
    cseq: null,
    cpimMessageId: null,
    state: 'queued',
    ...over,
  };
}

export function tableNames(db: DatabaseSync): string[] {
  return db
    .prepare("SELECT name FROM sqlite_schema WHERE type IN ('table', 'index', 'trigger') ORDER BY name")
    .all()
    .map((r) => String(r['name']));
}
