/**
 * Which message notifications are shown, and when (issue 10, "bounded cost"): notifications are coalesced
 * and rate-limited, so a flood costs one notice per interval, never one per message.
 *
 *  - At most one notice per `minIntervalMs` (default 5 s). The first message after a quiet spell is shown
 *    at once (in the same turn of the event loop, so a burst that arrives together is one notice);
 *    everything arriving until the interval has passed is gathered per conversation and shown as one
 *    notice then ("Bob Builder: 3 new messages", "12 new messages from 3 people", notice-text.ts).
 *  - Messages from people not in the contacts (message requests) are never notified (issue 10: they wait in
 *    the "Message requests" list, which shows their count); they are only counted for diagnostics.
 *  - While the window has focus (`suppressed`), nothing is shown and nothing is gathered: the user sees it.
 *  - Bounded: at most `maxPending` conversations are gathered by name; more only add to the counts.
 *  - Settings → Notifications (issue 16): with message notices off, nothing is gathered or shown (a message
 *    gathered before the switch is dropped at the flush); with the text off, a notice says who wrote and
 *    how many ("Bob Builder" / "new message"), never the text. Read on every message: a change applies at once.
 * Pure apart from the injected clock; the Electron shell only shows what `onNotice` hands it.
 */
import type { ConversationDto, MessageDto } from '#shared/domain/chat.ts';
import { DEFAULT_NOTIFICATIONS, type NotificationSettings } from '#shared/domain/notifications.ts';
import type { ContactDto } from '#shared/domain/contact.ts';
import type { ConversationId } from '#shared/domain/ids.ts';
import type { NotificationCountersDto } from '#shared/domain/trace.ts';
import type { Clock, TimerHandle } from '../../sip/transaction/clock.ts';
import { composeNotice, senderName, type NoticeText, type PendingPeer } from './notice-text.ts';

export interface MessageNotice extends NoticeText {
  /** the conversation to open on click; null for a notice about several */
  readonly conversationId: ConversationId | null;
}

export interface NoticeGateOptions {
  readonly clock: Clock;
  readonly minIntervalMs?: number;
  readonly maxPending?: number;
  /** the user's notification settings, read on every message and flush (default: everything on) */
  readonly settings?: () => NotificationSettings;
}

export const DEFAULT_NOTICE_INTERVAL_MS = 5000;
const DEFAULT_MAX_PENDING = 200;

interface Pending {
  name: string;
  count: number;
  lastBody: string;
  inCall: boolean;
}

export class NoticeGate {
  readonly #clock: Clock;
  readonly #interval: number;
  readonly #maxPending: number;
  readonly #settings: () => NotificationSettings;
  /** gathered per conversation, in order of latest activity (re-inserted on each message) */
  readonly #pending = new Map<ConversationId, Pending>();
  /** messages of conversations beyond maxPending: counted, not named */
  #overflow = 0;
  #overflowPeople = 0;
  #lastShown = Number.NEGATIVE_INFINITY;
  #timer: TimerHandle | null = null;
  #timerAt = 0;
  #suppressed: () => boolean = () => false;
  readonly #listeners = new Set<(notice: MessageNotice) => void>();
  readonly #counters = { messages: 0, notices: 0, whileFocused: 0, requests: 0 };

  constructor(options: NoticeGateOptions) {
    this.#clock = options.clock;
    this.#interval = options.minIntervalMs ?? DEFAULT_NOTICE_INTERVAL_MS;
    this.#maxPending = options.maxPending ?? DEFAULT_MAX_PENDING;
    this.#settings = options.settings ?? (() => DEFAULT_NOTIFICATIONS);
  }

  /** the shell says whether the user is looking at the app (window focused) */
  setSuppressed(suppressed: () => boolean): void {
    this.#suppressed = suppressed;
  }

  onNotice(listener: (notice: MessageNotice) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** an incoming message was stored in `conversation` (chats:message-received + its conversation) */
  received(message: MessageDto, conversation: ConversationDto, contacts: readonly ContactDto[] = []): void {
    if (message.direction !== 'in') return;
    this.#counters.messages++;
    if (this.#suppressed()) {
      this.#counters.whileFocused++;
      return;
    }
    if (conversation.unknownSender) {
      // a message request: no notification at all, whatever their number
      this.#counters.requests++;
      return;
    }
    // the user turned message notifications off (settings → Notifications)
    if (!this.#settings().messages) return;
    const known = this.#pending.get(conversation.id);
    if (known !== undefined || this.#pending.size < this.#maxPending) {
      const entry = known ?? { name: senderName(conversation, contacts), count: 0, lastBody: '', inCall: false };
      entry.count++;
      entry.lastBody = message.body;
      entry.inCall = message.callId !== null;
      this.#pending.delete(conversation.id);
      this.#pending.set(conversation.id, entry);
    } else {
      this.#overflow++;
      // without remembering them, each overflowing message may be another person: an upper bound
      this.#overflowPeople++;
    }
    this.#schedule();
  }

  counters(): NotificationCountersDto {
    return { ...this.#counters };
  }

  dispose(): void {
    if (this.#timer !== null) this.#clock.clearTimeout(this.#timer);
    this.#timer = null;
    this.#listeners.clear();
  }

  #schedule(): void {
    const now = this.#clock.now();
    if (this.#pending.size === 0 && this.#overflow === 0) return;
    const at = Math.max(now, this.#lastShown + this.#interval);
    // a timer already due as soon (or sooner) serves
    if (this.#timer !== null) {
      if (this.#timerAt <= at) return;
      this.#clock.clearTimeout(this.#timer);
    }
    this.#timerAt = at;
    this.#timer = this.#clock.setTimeout(() => this.#flush(), at - now);
  }

  #flush(): void {
    this.#timer = null;
    const now = this.#clock.now();
    const settings = this.#settings();
    if (this.#suppressed() || !settings.messages) {
      this.#clear();
      return;
    }
    const peers: PendingPeer[] = [...this.#pending.values()].reverse();
    const people = this.#pending.size + this.#overflowPeople;
    const messages = peers.reduce((n, p) => n + p.count, 0) + this.#overflow;
    const text = composeNotice(peers, { people, messages }, settings.messageText);
    const single = this.#pending.size === 1 && this.#overflow === 0 ? [...this.#pending.keys()][0] : undefined;
    this.#pending.clear();
    this.#overflow = 0;
    this.#overflowPeople = 0;
    if (text !== null) {
      this.#lastShown = now;
      this.#counters.notices++;
      const notice: MessageNotice = { ...text, conversationId: single ?? null };
      for (const l of this.#listeners) l(notice);
    }
  }

  #clear(): void {
    this.#pending.clear();
    this.#overflow = 0;
    this.#overflowPeople = 0;
  }
}
