/**
 * Presence for one registered account: our publication (RFC 3903) and one subscription per contact
 * (RFC 6665 / RFC 3856), over the account's event agent.
 *
 * The first 489 Bad Event / 405 / 501 to a PUBLISH or SUBSCRIBE means the PBX does not do presence:
 * `onUnsupported` is called once and every publication and subscription of the account stops (no more
 * requests until the account is set up again).
 */
import type { Availability } from '#shared/domain/presence.ts';
import { parsePidf } from '../../sip/body/pidf.ts';
import type { NotifyEvent } from '../../sip/event/event-agent.ts';
import { Publication, type PublishRequest, type PublishResponse } from '../../sip/event/publication.ts';
import { Subscription, type SubscriptionPort, type SubscriptionStatus } from '../../sip/event/subscription.ts';
import type { Clock } from '../../sip/transaction/clock.ts';
import type { XcapAccess } from './xcap-client.ts';

/** The SIP side of one account (event-agent.ts over its UA and dialog layer). */
export interface PresenceAgent {
  publish(request: PublishRequest): Promise<PublishResponse>;
  subscriptionPort(target: string, onNotify: (event: NotifyEvent) => void): SubscriptionPort;
  /** RFC 3857: a subscription to the watchers of our own presence (Event: presence.winfo) */
  winfoPort?(onNotify: (event: NotifyEvent) => void): SubscriptionPort;
  /** where our pres-rules go (RFC 5025 on the PBX's XCAP server, with the account's credentials), or null */
  xcapAccess?(): Promise<XcapAccess | null>;
}

export interface PeerState {
  readonly availability: Availability;
  readonly note: string | null;
  readonly subscription: 'unknown' | 'active' | 'pending' | 'denied';
}

export interface AccountPresenceOptions {
  readonly clock: Clock;
  readonly agent: PresenceAgent;
  readonly onPeer: (peer: string, state: PeerState) => void;
  readonly onUnsupported: (status: number) => void;
  readonly onSupported: () => void;
  /** Timer N for subscriptions (tests); default 32 s */
  readonly timerNMs?: number;
}

interface Watched {
  readonly subscription: Subscription;
  state: PeerState;
}

const UNKNOWN: PeerState = { availability: 'offline', note: null, subscription: 'unknown' };

export class AccountPresence {
  readonly #o: AccountPresenceOptions;
  readonly #publication: Publication;
  readonly #watched = new Map<string, Watched>();
  #unsupported = false;
  #supportedSaid = false;

  constructor(options: AccountPresenceOptions) {
    this.#o = options;
    this.#publication = new Publication({
      clock: options.clock,
      send: (r) => options.agent.publish(r),
      onUnsupported: (status) => this.#giveUp(status),
      onStatus: (s) => {
        if (s === 'published') this.#supported();
      },
    });
  }

  get unsupported(): boolean {
    return this.#unsupported;
  }

  /** our PIDF document (RFC 3863); unchanged documents send nothing */
  publish(pidf: string): void {
    if (!this.#unsupported) this.#publication.publish(pidf);
  }

  /** the contacts to watch (normalized addresses): subscribes new ones, unsubscribes removed ones */
  watch(peers: readonly string[]): void {
    if (this.#unsupported) return;
    const wanted = new Set(peers);
    for (const [peer, w] of this.#watched) {
      if (wanted.has(peer)) continue;
      this.#watched.delete(peer);
      void w.subscription.stop();
    }
    for (const peer of wanted) {
      if (this.#watched.has(peer)) continue;
      let port: SubscriptionPort;
      try {
        port = this.#o.agent.subscriptionPort(peer, (e) => this.#notified(peer, e));
      } catch {
        continue; // not a SIP address: nothing to subscribe to
      }
      const subscription = new Subscription({
        clock: this.#o.clock,
        port,
        ...(this.#o.timerNMs !== undefined ? { timerNMs: this.#o.timerNMs } : {}),
        onUnsupported: (status) => this.#giveUp(status),
        onStatus: (s) => this.#subscriptionStatus(peer, s),
      });
      this.#watched.set(peer, { subscription, state: UNKNOWN });
      subscription.start();
    }
  }

  /** RFC 6665 §4.1.2 after a new registration: new dialogs; a fresh publication */
  reRegistered(): void {
    if (this.#unsupported) return;
    this.#publication.restart();
    for (const w of this.#watched.values()) w.subscription.restart();
  }

  /** publishes `pidf` (offline) and waits for it, then unsubscribes everything (bounded by the transactions) */
  async close(offlinePidf: string | null): Promise<void> {
    if (!this.#unsupported && offlinePidf !== null && this.#publication.status !== 'idle') await this.#publication.publishFinal(offlinePidf);
    this.#publication.dispose();
    await Promise.all([...this.#watched.values()].map((w) => w.subscription.stop()));
    this.#watched.clear();
  }

  dispose(): void {
    this.#publication.dispose();
    for (const w of this.#watched.values()) w.subscription.dispose();
    this.#watched.clear();
  }

  #notified(peer: string, e: NotifyEvent): void {
    const w = this.#watched.get(peer);
    if (w === undefined) return;
    this.#supported();
    // RFC 6665 §4.1.2.4 / §4.1.3: the subscription machine hears every NOTIFY (Timer N, terminated reasons)
    w.subscription.notified(e.state);
    if (e.state.state === 'terminated') {
      if (e.state.reason === 'rejected') this.#set(peer, w, { availability: 'offline', note: null, subscription: 'denied' });
      return;
    }
    const subscription = e.state.state === 'pending' ? 'pending' : 'active';
    // RFC 3856 §6.7 / RFC 6665 §4.1.3: no body (or one we cannot read) says nothing about the person: offline
    const parsed = e.body === null ? null : parsePidf(e.body);
    const availability = parsed?.ok ? parsed.value.availability : 'offline';
    const note = parsed?.ok ? parsed.value.note : null;
    this.#set(peer, w, { availability, note, subscription });
  }

  #subscriptionStatus(peer: string, s: SubscriptionStatus): void {
    const w = this.#watched.get(peer);
    if (w === undefined) return;
    if (s === 'rejected') this.#set(peer, w, { availability: 'offline', note: null, subscription: 'denied' });
    else if (s === 'retrying' && w.state.subscription !== 'unknown') this.#set(peer, w, UNKNOWN);
  }

  #set(peer: string, w: Watched, state: PeerState): void {
    if (w.state.availability === state.availability && w.state.note === state.note && w.state.subscription === state.subscription) return;
    w.state = state;
    this.#o.onPeer(peer, state);
  }

  #supported(): void {
    if (this.#supportedSaid || this.#unsupported) return;
    this.#supportedSaid = true;
    this.#o.onSupported();
  }

  #giveUp(status: number): void {
    if (this.#unsupported) return;
    this.#unsupported = true;
    this.dispose();
    this.#o.onUnsupported(status);
  }
}
