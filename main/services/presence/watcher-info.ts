/**
 * Watcher information (RFC 3857 `presence.winfo`, documents RFC 3858) for one account: we subscribe to
 * the watchers of our own presence at the presence server (the PBX), so that the user sees who asks to
 * watch us when the PBX, not our UA, answers those SUBSCRIBEs (the PUBLISH model, RFC 3903).
 *
 * - RFC 3857 §3.2: the winfo subscription goes to our own AOR, Event `presence.winfo`,
 *   Accept `application/watcherinfo+xml`; the server authorizes only the presentity itself.
 * - RFC 3858 §4.4: a `full` document replaces what we know; a `partial` one is merged by watcher id,
 *   but only when its version is the next one — otherwise (a lost or reordered NOTIFY) we subscribe
 *   afresh to get a full state. A document we cannot read changes nothing.
 * - Only the `presence` watcher list of our own resource counts; `terminated` watchers are gone.
 * Bounded by the parser (MAX_WATCHERS per document) and by MAX_KNOWN entries kept.
 */
import { parseWatcherinfo, type WatcherStatus } from '../../sip/body/watcherinfo.ts';
import type { NotifyEvent } from '../../sip/event/event-agent.ts';
import { Subscription, type SubscriptionPort, type SubscriptionStatus } from '../../sip/event/subscription.ts';
import type { Clock } from '../../sip/transaction/clock.ts';

/** one watcher of our presence at the server: its URI and the state of its subscription there */
export interface ServerWatcher {
  readonly uri: string;
  readonly status: Exclude<WatcherStatus, 'terminated'>;
}

export interface WatcherInfoOptions {
  readonly clock: Clock;
  readonly port: SubscriptionPort;
  readonly timerNMs?: number;
  /** every change of the watcher list (all watchers, by URI) */
  readonly onWatchers: (watchers: readonly ServerWatcher[]) => void;
  /** the winfo subscription's status (active = the server gives us watcher information) */
  readonly onStatus?: (status: SubscriptionStatus) => void;
}

export const MAX_KNOWN = 2000;

export class WatcherInfo {
  readonly #o: WatcherInfoOptions;
  readonly #subscription: Subscription;
  /** by watcher id (RFC 3858 §4.2: unique within the document) */
  readonly #byId = new Map<string, { uri: string; status: WatcherStatus }>();
  #version: number | null = null;
  #last = '';

  constructor(options: WatcherInfoOptions) {
    this.#o = options;
    this.#subscription = new Subscription({
      clock: options.clock,
      port: options.port,
      ...(options.timerNMs !== undefined ? { timerNMs: options.timerNMs } : {}),
      onStatus: (s) => {
        // a new subscription starts a new version sequence (§4.4)
        if (s === 'subscribing') this.#version = null;
        options.onStatus?.(s);
      },
    });
  }

  start(): void {
    this.#subscription.start();
  }

  /** RFC 6665 §4.1.2 after a re-registration: a new dialog */
  restart(): void {
    this.#version = null;
    this.#subscription.restart();
  }

  stop(): Promise<void> {
    return this.#subscription.stop();
  }

  dispose(): void {
    this.#subscription.dispose();
  }

  /** the NOTIFYs of the winfo subscription (event-agent.ts hands them over) */
  notified(e: NotifyEvent): void {
    // RFC 6665 §4.1.2.4 / §4.1.3: the subscription machine hears every NOTIFY (Timer N, terminated reasons)
    this.#subscription.notified(e.state);
    if (e.state.state === 'terminated') {
      this.#byId.clear();
      this.#emit();
      return;
    }
    if (e.body === null) return;
    const parsed = parseWatcherinfo(e.body);
    if (!parsed.ok) return;
    const doc = parsed.value;
    if (doc.state === 'partial' && (this.#version === null || doc.version !== this.#version + 1)) {
      // §4.4: a gap in the versions: what we hold may be wrong, ask for the full state again
      this.restart();
      return;
    }
    // §4.4: a full document with an old version is a duplicate or reordered: ignore it
    if (doc.state === 'full' && this.#version !== null && doc.version <= this.#version) return;
    this.#version = doc.version;
    if (doc.state === 'full') this.#byId.clear();
    for (const list of doc.lists) {
      if (list.package !== 'presence') continue;
      for (const w of list.watchers) {
        if (w.status === 'terminated') this.#byId.delete(w.id);
        else if (this.#byId.has(w.id) || this.#byId.size < MAX_KNOWN) this.#byId.set(w.id, { uri: w.uri, status: w.status });
      }
    }
    this.#emit();
  }

  #emit(): void {
    // one entry per URI: active if any of its subscriptions is, else pending/waiting
    const byUri = new Map<string, ServerWatcher['status']>();
    for (const { uri, status } of this.#byId.values()) {
      if (status === 'terminated') continue;
      const before = byUri.get(uri);
      if (before === undefined || status === 'active') byUri.set(uri, status);
    }
    const list = [...byUri].map(([uri, status]) => ({ uri, status }));
    const key = JSON.stringify(list);
    if (key === this.#last) return;
    this.#last = key;
    this.#o.onWatchers(list);
  }
}
