/**
 * "typing…" both ways (RFC 3994), per account and peer.
 *
 * Sending: only when the user allows it (`enabled`) and only to a peer known to support it (§5 leaves
 * discovery to the UA): the peer sent us an is-composing message, or its Accept (an OPTIONS answer,
 * RFC 3261 §11, probed once when our user first types) lists application/im-iscomposing+xml. A 415 to
 * one of ours marks the peer unsupported. During a call with the peer it goes inside the call's dialog
 * (RFC 3428 §4), else pager mode. Status messages are never stored and never notified.
 *
 * Receiving: `receive` answers 200 for a well-formed document and 400 for a malformed one, and emits
 * `chats:peer-typing`; a content message from the peer ends "typing…" (§3.3).
 */
import type { AccountId, ConversationId } from '#shared/domain/ids.ts';
import type { Emit } from '../../ipc/event-bus.ts';
import { IS_COMPOSING_CONTENT_TYPE, buildIsComposing, parseIsComposing, type ComposingState } from '../../sip/body/is-composing.ts';
import type { Clock } from '../../sip/transaction/clock.ts';
import { normalizeContactAddress } from '../contacts.ts';
import { ComposingReceiver } from './composing-receiver.ts';
import { ComposingSender } from './composing-sender.ts';

/** where a status message goes: the final status, or null when nothing came back */
export type ComposingTransport = (accountId: AccountId, peer: string, body: Buffer, contentType: string) => Promise<number | null>;

export interface TypingServiceOptions {
  readonly clock: Clock;
  readonly emit: Emit;
  readonly conversation: (id: ConversationId) => Promise<{ readonly accountId: AccountId; readonly peer: string } | null>;
  /** pager-mode MESSAGE */
  readonly sendPager: ComposingTransport;
  /** a MESSAGE inside the call with this peer, or null when there is no call */
  readonly sendInCall?: (accountId: AccountId, peer: string) => ((body: Buffer, contentType: string) => Promise<number | null>) | null;
  /** the Accept list of the peer's answer to OPTIONS (null: no answer) */
  readonly probeAccept: (accountId: AccountId, peer: string) => Promise<readonly string[] | null>;
  /** the privacy setting "send typing indicator" */
  readonly enabled: (accountId: AccountId) => boolean;
}

type Support = 'yes' | 'no' | 'probing';

/** the peer as conversations store it, so an event matches its conversation */
export function peerKey(address: string): string {
  try {
    return normalizeContactAddress(address).uri;
  } catch {
    return address.trim();
  }
}

const key = (accountId: AccountId, peer: string): string => `${accountId}\n${peer}`;

export class TypingService {
  readonly #o: TypingServiceOptions;
  readonly #support = new Map<string, Support>();
  readonly #senders = new Map<string, ComposingSender>();
  readonly #receiver: ComposingReceiver;

  constructor(options: TypingServiceOptions) {
    this.#o = options;
    this.#receiver = new ComposingReceiver(options.clock, (k, typing) => {
      const [accountId, peer] = k.split('\n') as [AccountId, string];
      options.emit('chats:peer-typing-changed', { accountId, peer, typing });
    });
  }

  /** the renderer's composer: `composing` true on an edit that leaves text, false when emptied */
  async composing(conversationId: ConversationId, composing: boolean): Promise<void> {
    const c = await this.#o.conversation(conversationId);
    if (c === null) return;
    const k = key(c.accountId, c.peer);
    if (!composing) {
      this.#senders.get(k)?.cleared();
      return;
    }
    if (!this.#o.enabled(c.accountId)) return;
    if (!(await this.#supported(c.accountId, c.peer))) return;
    let sender = this.#senders.get(k);
    if (sender === undefined) {
      sender = new ComposingSender({ clock: this.#o.clock, send: (state, refresh) => void this.#send(c.accountId, c.peer, state, refresh) });
      this.#senders.set(k, sender);
    }
    sender.typed();
  }

  /** our message to this conversation went out: implicit idle (§3.2) */
  messageSent(accountId: AccountId, peer: string): void {
    this.#senders.get(key(accountId, peerKey(peer)))?.messageSent();
  }

  /** a content message from the peer arrived (§3.3) */
  messageReceived(accountId: AccountId, peer: string): void {
    this.#receiver.messageReceived(key(accountId, peerKey(peer)));
  }

  isTyping(accountId: AccountId, peer: string): boolean {
    return this.#receiver.isTyping(key(accountId, peerKey(peer)));
  }

  /** an application/im-iscomposing+xml MESSAGE (pager or in-dialog): never stored, never notified */
  receive(accountId: AccountId, from: string, body: Buffer): 200 | 400 {
    const parsed = parseIsComposing(body);
    if (!parsed.ok) return 400;
    const peer = peerKey(from);
    // §5: the peer sends them, so it understands them
    this.#support.set(key(accountId, peer), 'yes');
    this.#receiver.received(key(accountId, peer), parsed.value);
    return 200;
  }

  /** the peer's Accept became known some other way (a 415 to a text message) */
  acceptKnown(accountId: AccountId, peer: string, accept: readonly string[]): void {
    this.#support.set(key(accountId, peerKey(peer)), acceptsComposing(accept) ? 'yes' : 'no');
  }

  dispose(): void {
    this.#receiver.dispose();
    for (const s of this.#senders.values()) s.dispose();
    this.#senders.clear();
  }

  async #supported(accountId: AccountId, peer: string): Promise<boolean> {
    const k = key(accountId, peer);
    const known = this.#support.get(k);
    if (known === 'yes') return true;
    if (known !== undefined) return false;
    this.#support.set(k, 'probing');
    const accept = await this.#o.probeAccept(accountId, peer).catch(() => null);
    // no answer: stay quiet (unknown is not support)
    const yes = accept !== null && acceptsComposing(accept);
    this.#support.set(k, yes ? 'yes' : 'no');
    return yes;
  }

  async #send(accountId: AccountId, peer: string, state: ComposingState, refresh: number | null): Promise<void> {
    if (!this.#o.enabled(accountId) && state === 'active') return;
    const body = Buffer.from(buildIsComposing(refresh === null ? { state, contentType: 'text/plain' } : { state, contentType: 'text/plain', refresh }), 'utf8');
    const inCall = this.#o.sendInCall?.(accountId, peer) ?? null;
    const status = await (inCall ? inCall(body, IS_COMPOSING_CONTENT_TYPE) : this.#o.sendPager(accountId, peer, body, IS_COMPOSING_CONTENT_TYPE)).catch(() => null);
    if (status === 415 || status === 488 || status === 501) {
      // the peer refused it after all: quiet from now on, pending idle timer included
      const k = key(accountId, peer);
      this.#support.set(k, 'no');
      this.#senders.get(k)?.dispose();
      this.#senders.delete(k);
    }
  }
}

export function acceptsComposing(accept: readonly string[]): boolean {
  return accept.some((range) => {
    const t = (range.split(';', 1)[0] ?? '').trim().toLowerCase();
    return t === IS_COMPOSING_CONTENT_TYPE || t === 'application/*';
  });
}
