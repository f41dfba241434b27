/**
 * Delivery and read receipts: Instant Message Disposition Notifications (RFC 5438) over CPIM.
 *
 * Sending side (we are the IM sender, §7.1):
 * - our CPIM messages ask for `positive-delivery, display` (§6.2; built in chats/outgoing-request.ts);
 * - an IMDN that comes back is matched by its message-id to one of our messages (§7.1.2), and only to a
 *   message that went to the address the IMDN comes from (the SIP From, authenticated by the PBX, must
 *   be the conversation's peer): anyone else's IMDN changes nothing. IMDNs are never stored or shown as
 *   messages; a repeated one (same IMDN Message-ID, or a receipt we already have) changes nothing.
 *
 * Receiving side (we are the IM recipient, §7.2):
 * - `delivered` (§7.2.1.1) once the message is stored, when its sender asked for positive-delivery;
 * - `displayed` (§7.2.1.2) when the renderer reports the message was on screen in a focused window, when
 *   asked for `display` and the user's "send read receipts" setting is on; at most once per message.
 * - the IMDN goes to the SIP From of the original message (the address the PBX vouched for), and only if
 *   the CPIM From names the same address: a forged CPIM From never makes us send receipts to a stranger
 *   (§13: IMDNs as an attack vector). It asks for no IMDN itself (§7.2.1).
 * IMDNs to one peer go out one at a time (RFC 3428 §8).
 *
 * Retry (bounded): an IMDN that did not get through for a reason that may pass (no answer, no transport,
 * not registered, 408/480/500/503/504) is sent again, the same bytes (the same IMDN Message-ID, so the
 * peer's §7.1.2 dedup holds), after 5 s, 30 s, 2 min and 10 min, then given up (RETRY_DELAYS_MS); a final
 * refusal (403, 404, 415, 488…) is not retried. At most MAX_RETRYING wait at once; beyond that the newest
 * failure is given up at once. Retries live in this process only: a quit drops the ones still waiting.
 */
import type { MessageDto } from '#shared/domain/chat.ts';
import type { AccountId, ConversationId, MessageId } from '#shared/domain/ids.ts';
import type { Emit } from '../../ipc/event-bus.ts';
import { buildImdn, IMDN_CONTENT_TYPE, parseDispositionNotification, parseImdn, type ImdnStatus } from '../../sip/body/imdn.ts';
import { formatCpim, type CpimMessage } from '../../sip/ua/cpim.ts';
import type { Storage } from '../../storage/storage.ts';
import { addressKey } from '../../storage/address-key.ts';
import type { AccountsService } from '../accounts.ts';
import { DestinationQueues } from '../chats/destination-queues.ts';
import { resolveTarget } from '../chats/outgoing-request.ts';
import type { PagerOutcome, PagerSender } from '../chats/pager.ts';
import { systemClock, type Clock, type TimerHandle } from '../../sip/transaction/clock.ts';
import { MESSAGE_CPIM } from '../chats/peer-formats.ts';

export type ReceiptStore = Pick<Storage, 'applyReceipt' | 'takeDisplayReceipts' | 'getConversation'>;

export interface ReceiptsServiceOptions {
  readonly storage: ReceiptStore;
  readonly accounts: Pick<AccountsService, 'get'>;
  readonly sender: PagerSender;
  readonly emit: Emit;
  readonly now: () => number;
  /** Message-IDs for the IMDNs we send (RFC 5438 §6.3 syntax) */
  readonly newMessageId: () => string;
  /** the privacy setting "send read receipts" (display notifications); delivery ones are always sent */
  readonly sendReadReceipts: () => boolean;
  readonly onError: (message: string, error: unknown) => void;
  /** timers for the retries; default the system clock */
  readonly clock?: Clock;
}

/** IMDN Message-IDs remembered per process for dedup (bounded) */
const SEEN_LIMIT = 2000;
/** waits before each new attempt of an IMDN that did not get through (then it is given up) */
export const RETRY_DELAYS_MS: readonly number[] = [5_000, 30_000, 120_000, 600_000];
/** IMDNs waiting for a retry at once */
export const MAX_RETRYING = 500;

/** a failure that may pass: the IMDN is sent again later */
export function isTransient(outcome: PagerOutcome): boolean {
  if (outcome.kind === 'timeout' || outcome.kind === 'transport-error' || outcome.kind === 'not-registered') return true;
  if (outcome.kind !== 'response') return false;
  return [408, 480, 500, 503, 504].includes(outcome.status);
}

export class ReceiptsService {
  readonly #o: ReceiptsServiceOptions;
  readonly #queues: DestinationQueues;
  readonly #seen = new Set<string>();
  readonly #retrying = new Set<TimerHandle>();
  readonly #clock: Clock;

  constructor(options: ReceiptsServiceOptions) {
    this.#o = options;
    this.#queues = new DestinationQueues((e) => options.onError('sending an IMDN failed', e));
    this.#clock = options.clock ?? systemClock;
  }

  /** IMDNs waiting for a retry */
  get retrying(): number {
    return this.#retrying.size;
  }

  /** drops every waiting retry (quit) */
  dispose(): void {
    for (const t of this.#retrying) this.#clock.clearTimeout(t);
    this.#retrying.clear();
  }

  /**
   * A content message from `peer` was stored (§7.2.1.1): send `delivered` if its sender asked for it.
   * `cpim` is the message's CPIM envelope.
   */
  stored(accountId: AccountId, peer: string, cpim: Pick<CpimMessage, 'messageId' | 'dispositionNotification' | 'from'>): void {
    if (cpim.messageId === null) return;
    if (!parseDispositionNotification(cpim.dispositionNotification).has('positive-delivery')) return;
    if (!this.#sameSender(peer, cpim.from?.uri ?? null)) return;
    this.#send(accountId, peer, cpim.messageId, 'delivered');
  }

  /**
   * The renderer showed these messages in a focused window (§7.2.1.2). Returns how many display
   * notifications were queued; none when the user turned read receipts off.
   */
  async displayed(conversationId: ConversationId, ids: readonly MessageId[]): Promise<number> {
    if (!this.#o.sendReadReceipts() || ids.length === 0) return 0;
    const conversation = await this.#o.storage.getConversation(conversationId);
    if (conversation === null) return 0;
    const due = await this.#o.storage.takeDisplayReceipts(conversationId, ids, this.#o.now());
    for (const d of due) this.#send(conversation.accountId, conversation.peer, d.cpimMessageId, 'displayed');
    return due.length;
  }

  /**
   * An IMDN arrived from `peer` (the SIP From) in a CPIM envelope; answers 200 for any well-formed one
   * (also one that matches nothing: it tells the sender nothing about our messages) and 400 otherwise.
   */
  async receive(accountId: AccountId, peer: string, cpim: CpimMessage): Promise<200 | 400> {
    const parsed = parseImdn(cpim.content);
    if (!parsed.ok) return 400;
    const imdn = parsed.value;
    const seenKey = cpim.messageId === null ? null : `${accountId}\n${cpim.messageId}`;
    if (seenKey !== null && this.#seen.has(seenKey)) return 200;
    if (seenKey !== null) this.#remember(seenKey);
    const receipt = receiptOf(imdn.kind, imdn.status);
    if (receipt === null) return 200;
    let changed: MessageDto | null;
    try {
      changed = await this.#o.storage.applyReceipt(accountId, peer, imdn.messageId, receipt);
    } catch (e) {
      this.#o.onError('storing a receipt failed', e);
      return 200;
    }
    if (changed === null) return 200;
    this.#o.emit('chats:message-changed', changed);
    const conversation = await this.#o.storage.getConversation(changed.conversationId);
    if (conversation !== null) this.#o.emit('chats:conversation-changed', conversation);
    return 200;
  }

  /** Resolves when no IMDN is being sent (tests, shutdown). */
  idle(): Promise<void> {
    return this.#queues.idle();
  }

  #sameSender(peer: string, cpimFrom: string | null): boolean {
    return cpimFrom === null || addressKey(cpimFrom) === addressKey(peer);
  }

  #remember(key: string): void {
    this.#seen.add(key);
    if (this.#seen.size > SEEN_LIMIT) {
      const oldest = this.#seen.values().next().value;
      if (oldest !== undefined) this.#seen.delete(oldest);
    }
  }

  #send(accountId: AccountId, peer: string, originalMessageId: string, status: 'delivered' | 'displayed'): void {
    const target = resolveTarget(peer);
    this.#queues.enqueue(target.toLowerCase(), async () => {
      const account = await this.#o.accounts.get(accountId);
      const date = new Date(this.#o.now());
      // §7.2.1: From = the recipient (us), To = the IM sender; the IMDN requests no IMDN itself
      const body = formatCpim({
        from: { uri: account.aor },
        to: { uri: target },
        dateTime: date,
        messageId: this.#o.newMessageId(),
        contentType: `${IMDN_CONTENT_TYPE}`,
        contentDisposition: 'notification',
        content: buildImdn({
          messageId: originalMessageId,
          dateTime: date,
          recipientUri: account.aor,
          originalRecipientUri: account.aor,
          kind: status === 'delivered' ? 'delivery' : 'display',
          status,
        }),
      });
      await this.#attempt({ accountId, target, body, date, what: `IMDN ${status} for ${originalMessageId}` }, 0);
    });
  }

  async #attempt(imdn: PendingImdn, attempt: number): Promise<void> {
    const outcome = await this.#o.sender.send({
      accountId: imdn.accountId,
      target: imdn.target,
      body: imdn.body,
      contentType: MESSAGE_CPIM,
      expiresSeconds: null,
      date: imdn.date,
      dialog: null,
    });
    if (outcome.kind === 'response' && outcome.status < 300) return;
    const delay = RETRY_DELAYS_MS[attempt];
    if (!isTransient(outcome) || delay === undefined || this.#retrying.size >= MAX_RETRYING) {
      this.#o.onError(`${imdn.what} not accepted${isTransient(outcome) ? ' (given up)' : ''}`, outcome);
      return;
    }
    const timer = this.#clock.setTimeout(() => {
      this.#retrying.delete(timer);
      this.#queues.enqueue(imdn.target.toLowerCase(), () => this.#attempt(imdn, attempt + 1));
    }, delay);
    this.#retrying.add(timer);
  }
}

interface PendingImdn {
  readonly accountId: AccountId;
  readonly target: string;
  readonly body: Buffer;
  readonly date: Date;
  readonly what: string;
}

/** delivered → a delivery receipt; displayed → read; every other status (failed, error…) changes nothing */
function receiptOf(kind: string, status: ImdnStatus): 'delivered' | 'read' | null {
  if (kind === 'delivery' && status === 'delivered') return 'delivered';
  if (kind === 'display' && status === 'displayed') return 'read';
  return null;
}
