/** Messages between the main thread (storage.ts) and the storage worker (worker.ts). */
import type { OperationName, StorageOperations } from './operations.ts';

export interface WorkerInit {
  readonly path: string;
  /** run from source: the worker module's URL and its stripped module graph (worker-sources.ts) */
  readonly entry?: string;
  readonly sources?: readonly (readonly [string, string])[];
}

export type ToWorker =
  | { readonly type: 'call'; readonly id: number; readonly op: OperationName; readonly args: readonly unknown[] }
  | { readonly type: 'close' }
  /** a memory-reducing GC of the worker's isolate (services/heap-reclaim.ts), answered with `result` */
  | { readonly type: 'reclaim'; readonly id: number };

export type FromWorker =
  | { readonly type: 'ready' }
  | { readonly type: 'open-failed'; readonly message: string }
  | { readonly type: 'result'; readonly id: number; readonly value: unknown }
  | { readonly type: 'error'; readonly id: number; readonly message: string; readonly sqliteCode: number | null }
  | { readonly type: 'closed' };

/** Every operation name, as a value (the main side builds its proxy methods from it). */
export const operationNames = [
  'info',
  'listAccounts',
  'getAccount',
  'findAccountByAor',
  'saveAccount',
  'getAccountSecret',
  'learnAccountRealm',
  'removeAccount',
  'listContacts',
  'getContact',
  'findContactByAddress',
  'searchContacts',
  'saveContact',
  'removeContact',
  'listBlocked',
  'blockedKeys',
  'blockAddress',
  'unblockAddress',
  'getOrCreateConversation',
  'getConversation',
  'listConversations',
  'markRead',
  'acceptConversation',
  'deleteConversation',
  'insertOutgoing',
  'insertIncoming',
  'storeIncomingBatch',
  'storeIncomingPacked',
  'updateMessageState',
  'beginSending',
  'openConversationFor',
  'sendContext',
  'queueOutgoing',
  'finishSending',
  'getMessage',
  'getStoredMessage',
  'deleteMessage',
  'pageMessages',
  'pendingOutbox',
  'search',
  'getSmimeIdentity',
  'saveSmimeIdentity',
  'setSmimeIdentityEnabled',
  'listPeerCertificates',
  'savePeerCertificate',
  'replayEntries',
  'rememberReplay',
  'getConversationProtection',
  'setConversationProtection',
  'applyReceipt',
  'takeDisplayReceipts',
  'listCallHistory',
  'saveEndedCall',
  'getSetting',
  'setSetting',
] as const satisfies readonly OperationName[];
// compile-time proof that the list names every operation
type Missing = Exclude<keyof StorageOperations, (typeof operationNames)[number]>;
const _allListed: Missing extends never ? true : never = true;
void _allListed;

export function isOperationName(op: unknown): op is OperationName {
  return typeof op === 'string' && (operationNames as readonly string[]).includes(op);
}
