/**
 * Group commit of incoming MESSAGEs (worker side): every message that arrived together is stored in ONE
 * SQLite transaction and one worker round trip — the sender's contact looked up, its conversation found
 * or created, the message inserted once (RFC 3261 §17.2.3 / RFC 3862 §5.1 duplicates reported, not
 * stored), and each conversation touched read back once after the commit.
 *
 * The caller answers 200 only after this returns, i.e. after COMMIT: nothing answered is lost.
 * A batch whose transaction fails (one bad item, a full disk) is rolled back and retried one message per
 * transaction, so one bad message costs only its own 500, never its neighbours'.
 */
import type { DatabaseSync } from 'node:sqlite';
import type { ConversationDto, MessageDto } from '#shared/domain/chat.ts';
import type { AccountId, ConversationId } from '#shared/domain/ids.ts';
import type { ContactRepository } from './contact-repository.ts';
import type { ConversationRepository } from './conversation-repository.ts';
import { inTransaction } from './database.ts';
import { fromRowId } from './ids.ts';
import { unpackIncomingResult, type PackedIncomingResult } from './incoming-wire.ts';
import type { ConversationTarget, IncomingMessageInput, MessageRepository } from './message-repository.ts';

/** One received message, with who sent it instead of a conversation id (found or made in the batch). */
export interface IncomingBatchItem extends Omit<IncomingMessageInput, 'conversationId' | 'callId'> {
  readonly accountId: AccountId;
  /** the sender's address (From URI), the conversation peer */
  readonly peer: string;
  /** the From display name, the title of a new conversation when the sender is no contact */
  readonly senderName: string | null;
}

export type IncomingBatchOutcome =
  | { readonly kind: 'inserted'; readonly message: MessageDto }
  | { readonly kind: 'duplicate' }
  | { readonly kind: 'error'; readonly message: string };

export interface IncomingBatchResult {
  /** one per item, in the order given */
  readonly outcomes: readonly IncomingBatchOutcome[];
  /** each conversation a new message went into, as it is after the commit */
  readonly conversations: readonly ConversationDto[];
}

export interface IncomingBatchRepos {
  readonly contacts: Pick<ContactRepository, 'findByAddress'>;
  readonly conversations: Pick<ConversationRepository, 'idOf' | 'get'>;
  readonly messages: Pick<MessageRepository, 'insertIncomingRow' | 'indexForSearch'>;
}

/** the conversations found or made in one transaction, by account and peer as given */
type Found = Map<string, ConversationTarget>;

function titleOf(contactName: string | undefined, senderName: string | null, peer: string): string {
  return contactName || senderName?.trim() || peer.replace(/^(?:sips?|im):/i, '');
}

/** the new row's id (0: duplicate) and its conversation's row id */
function storeOne(r: IncomingBatchRepos, item: IncomingBatchItem, found: Found, unindexed: [number, string][]): [id: number, conversation: number] {
  const key = `${item.accountId}\n${item.peer}`;
  let to = found.get(key);
  if (to === undefined) {
    const rowId = r.conversations.idOf(item.accountId, item.peer, () => {
      // only a new conversation needs the sender's contact: its title and whether the sender is known
      const contact = r.contacts.findByAddress(item.peer);
      return {
        title: titleOf(contact?.displayName, item.senderName, item.peer),
        // RFC 3428 §11 (spam): a message from someone not in the contact list is flagged, not hidden
        unknownSender: contact === null,
        createdAt: item.createdAt,
      };
    });
    to = { rowId, accountId: item.accountId };
    found.set(key, to);
  }
  // the item itself: its accountId, peer and senderName are not columns, and it has no call (out of dialog)
  return [r.messages.insertIncomingRow(to, item, unindexed), to.rowId];
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * The group commit as the worker answers it (incoming-wire.ts): per message its row id (0 duplicate,
 * -1 error), conversation row id and body size, and each conversation touched as it is after the commit.
 */
export function storeIncomingRows(db: DatabaseSync, r: IncomingBatchRepos, items: readonly IncomingBatchItem[]): PackedIncomingResult {
  let stored: [number, number][];
  const errors: string[] = [];
  try {
    stored = inTransaction(db, () => {
      const found: Found = new Map();
      const unindexed: [number, string][] = [];
      const rows = items.map((item) => storeOne(r, item, found, unindexed));
      // the whole batch into the search index at once: one FTS5 flush at COMMIT (migration 0012)
      r.messages.indexForSearch(unindexed);
      return rows;
    });
  } catch {
    // rolled back: isolate the failing message(s), each in its own transaction
    stored = items.map((item) => {
      try {
        return inTransaction(db, () => {
          const unindexed: [number, string][] = [];
          const row = storeOne(r, item, new Map(), unindexed);
          r.messages.indexForSearch(unindexed);
          return row;
        });
      } catch (e) {
        errors.push(describe(e));
        return [-1, 0];
      }
    });
  }
  const rows: number[] = [];
  const touched = new Set<number>();
  items.forEach((item, i) => {
    const [id, conversation] = stored[i] as [number, number];
    rows.push(id, conversation, id > 0 ? Buffer.byteLength(item.body, 'utf8') : 0);
    if (id > 0) touched.add(conversation);
  });
  const conversations: ConversationDto[] = [];
  for (const id of touched) {
    const c = r.conversations.get(fromRowId<ConversationId>(id));
    if (c !== null) conversations.push(c);
  }
  return { rows, errors, conversations };
}

/** storeIncomingRows with each stored message as its MessageDto (the in-process form of the group commit) */
export function storeIncomingBatch(db: DatabaseSync, r: IncomingBatchRepos, items: readonly IncomingBatchItem[]): IncomingBatchResult {
  return unpackIncomingResult(items, storeIncomingRows(db, r, items));
}
