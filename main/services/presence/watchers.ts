/**
 * Who may watch our presence (RFC 3856 §6.6 watcher authorization, RFC 6665 §4.2 as notifier).
 *
 * A SUBSCRIBE to our presence reaches this service only on the registered path (sip-stack.ts checks its
 * source: the PBX authenticated the watcher). Then:
 * - not `Event: presence` → 489 Bad Event (§8.3); an Accept without PIDF → 406 (RFC 3856 §6.5); too short
 *   an Expires → 423 with Min-Expires (§4.2.1.1);
 * - the watcher (the From address) is one of the user's contacts and the user allowed it → `active`, with
 *   our current PIDF (what we publish: offline when the user shares with nobody);
 * - blocked → `terminated;reason=rejected` (the watcher does not retry, §4.1.3);
 * - anyone else → `pending` without any state (RFC 3856 §6.6). A pending *contact* appears as a request
 *   (`presence:watchers-changed`) the user allows or blocks; the decision is stored (settings table) and
 *   applies at once to the live subscriptions (pending → active, or → rejected). Strangers stay pending
 *   and never reach the UI (no request spam); when the user adds them as a contact, their request shows.
 * - a contact removed from the list → its live subscriptions end `deactivated` (it re-subscribes and is
 *   pending, not a contact).
 * Bounded: MAX_LIVE subscriptions overall (beyond: 503), MAX_PER_WATCHER per address, MAX_DECISIONS stored.
 *
 * Where the PBX is the presence server and answers the SUBSCRIBEs itself, its watcher information
 * (RFC 3857/3858, `serverWatchersChanged`) feeds the same requests: a contact pending there appears as a
 * request too, and `presRules()` turns the decisions into the pres-rules (RFC 5025) the PBX applies.
 */
import type { AccountId } from '#shared/domain/ids.ts';
import type { WatcherDecision, WatcherDto } from '#shared/domain/presence.ts';
import type { Emit } from '../../ipc/event-bus.ts';
import type { ResponseChannel } from '../../sip/dialog/user-agent-port.ts';
import { createResponse, formatUri, type SipRequest } from '../../sip/message/index.ts';
import { eventTypeOf, grantExpires, PRESENCE_EXPIRES, tooBrief, type AcceptedSubscription } from '../../sip/event/notifier-dialog.ts';
import { WatcherSubscription } from '../../sip/event/watcher-subscription.ts';
import type { Clock } from '../../sip/transaction/clock.ts';
import type { PresRules } from '../../sip/body/pres-rules.ts';
import type { ServerWatcher } from './watcher-info.ts';

export interface WatcherAgent {
  accept(request: SipRequest, channel: ResponseChannel, expires: number): AcceptedSubscription | null;
}

export interface WatcherStore {
  getSetting(key: string): Promise<string | null>;
  setSetting(key: string, value: string): Promise<void>;
}

export interface WatcherServiceOptions {
  readonly clock: Clock;
  readonly emit: Emit;
  readonly store: WatcherStore;
  readonly agentOf: (accountId: AccountId) => WatcherAgent | null;
  /** our PIDF for this account as we publish it now */
  readonly documentOf: (accountId: AccountId) => string | null;
  /** the address as conversations and contacts store it */
  readonly normalize: (address: string) => string;
  /** RFC 3856 §6.4 rate limit (tests) */
  readonly minIntervalMs?: number;
}

interface Live {
  readonly accountId: AccountId;
  readonly watcher: string;
  readonly sub: WatcherSubscription;
}

const KEY = 'presence-watchers';
export const MAX_LIVE = 256;
export const MAX_PER_WATCHER = 8;
export const MAX_DECISIONS = 2000;
const PIDF = 'application/pidf+xml';

/** RFC 3261 §20.1: does an Accept header admit PIDF (absent = the package default, RFC 6665 §4.1.2) */
function acceptsPidf(request: SipRequest): boolean {
  const values = request.headers.getAll('Accept');
  if (values.length === 0) return true;
  const types = values.flatMap((v) => v.split(',')).map((t) => t.split(';', 1)[0]?.trim().toLowerCase() ?? '');
  return types.some((t) => t === PIDF || t === 'application/*' || t === '*/*');
}

export class WatcherService {
  readonly #o: WatcherServiceOptions;
  readonly #decisions = new Map<string, WatcherDecision>();
  readonly #live = new Set<Live>();
  /** watchers at the PBX's presence server, per account: address → its state there */
  readonly #server = new Map<AccountId, Map<string, ServerWatcher['status']>>();
  #contacts = new Set<string>();
  #closed = false;

  private constructor(options: WatcherServiceOptions) {
    this.#o = options;
  }

  static async open(options: WatcherServiceOptions): Promise<WatcherService> {
    const service = new WatcherService(options);
    try {
      const parsed: unknown = JSON.parse((await options.store.getSetting(KEY)) ?? '{}');
      if (typeof parsed === 'object' && parsed !== null) {
        for (const [address, d] of Object.entries(parsed as Record<string, unknown>).slice(0, MAX_DECISIONS)) {
          if (d === 'allow' || d === 'block') service.#decisions.set(address, d);
        }
      }
    } catch {
      // a damaged value: no decisions (everyone pending again), never a crash
    }
    return service;
  }

  /** the pending requests of contacts, then every decided address */
  list(): WatcherDto[] {
    const out: WatcherDto[] = [];
    for (const address of this.#pendingContacts()) out.push({ address, decision: 'pending', watching: this.#count(address) });
    for (const [address, decision] of this.#decisions) out.push({ address, decision, watching: this.#count(address) });
    return out;
  }

  /** the user allows or blocks a watcher: stored, and applied to its live subscriptions at once */
  async decide(address: string, decision: WatcherDecision): Promise<WatcherDto[]> {
    const watcher = this.#o.normalize(address);
    this.#decisions.delete(watcher);
    this.#decisions.set(watcher, decision);
    while (this.#decisions.size > MAX_DECISIONS) this.#decisions.delete(this.#decisions.keys().next().value as string);
    await this.#o.store.setSetting(KEY, JSON.stringify(Object.fromEntries(this.#decisions)));
    for (const l of [...this.#live]) {
      if (l.watcher !== watcher) continue;
      if (decision === 'block') l.sub.reject();
      else if (this.#contacts.has(watcher)) l.sub.allow();
    }
    this.#changed();
    return this.list();
  }

  /** the PBX's watcher information for our presence on this account changed (RFC 3858) */
  serverWatchersChanged(accountId: AccountId, watchers: readonly ServerWatcher[]): void {
    const map = new Map<string, ServerWatcher['status']>();
    for (const w of watchers) map.set(this.#o.normalize(w.uri), w.status);
    this.#server.set(accountId, map);
    this.#changed();
  }

  /** the decisions as RFC 5025 rules for the PBX: allowed contacts, blocked addresses */
  presRules(): PresRules {
    const allow: string[] = [];
    const block: string[] = [];
    for (const [address, decision] of this.#decisions) {
      if (decision === 'block') block.push(address);
      else if (this.#contacts.has(address)) allow.push(address);
    }
    return { allow, block };
  }

  /** the contact list changed: removed contacts' subscriptions end (deactivated); new contacts' requests show */
  contactsChanged(contacts: readonly string[]): void {
    const before = this.#contacts;
    this.#contacts = new Set(contacts);
    for (const l of [...this.#live]) {
      if (before.has(l.watcher) && !this.#contacts.has(l.watcher)) void l.sub.close('deactivated');
      else if (!before.has(l.watcher) && this.#contacts.has(l.watcher) && this.#decisions.get(l.watcher) === 'allow') l.sub.allow();
    }
    this.#changed();
  }

  /** what we publish changed: every active watcher hears of it */
  documentChanged(): void {
    for (const l of this.#live) l.sub.changed();
  }

  /** a SUBSCRIBE outside any dialog, from the registered path of `accountId` */
  handle(accountId: AccountId, request: SipRequest, channel: ResponseChannel): void {
    if (eventTypeOf(request) !== 'presence') {
      channel.respond(createResponse(request, 489, 'Bad Event', [['Allow-Events', 'presence']]));
      return;
    }
    if (!acceptsPidf(request)) {
      channel.respond(createResponse(request, 406, 'Not Acceptable', [['Accept', PIDF]]));
      return;
    }
    const grant = grantExpires(request, PRESENCE_EXPIRES);
    if (!grant.ok) {
      channel.respond(tooBrief(request, grant.minExpires));
      return;
    }
    const agent = this.#o.agentOf(accountId);
    const watcher = this.#o.normalize(formatUri(request.from.uri));
    if (this.#closed || agent === null) {
      channel.respond(createResponse(request, 480, 'Temporarily Unavailable'));
      return;
    }
    if (this.#live.size >= MAX_LIVE || this.#count(watcher) >= MAX_PER_WATCHER) {
      channel.respond(createResponse(request, 503, 'Service Unavailable', [['Retry-After', '300']]));
      return;
    }
    const accepted = agent.accept(request, channel, grant.expires);
    if (accepted === null) return;
    const decision = this.#decisions.get(watcher);
    const allowed = decision === 'allow' && this.#contacts.has(watcher);
    const live: Live = {
      accountId,
      watcher,
      sub: new WatcherSubscription({
        clock: this.#o.clock,
        port: accepted.port,
        expires: grant.expires,
        initial: allowed ? 'active' : 'pending',
        document: () => this.#o.documentOf(accountId) ?? '',
        ...(this.#o.minIntervalMs !== undefined ? { minIntervalMs: this.#o.minIntervalMs } : {}),
        onEnded: () => {
          this.#live.delete(live);
          this.#changed();
        },
      }),
    };
    this.#live.add(live);
    accepted.onRefresh((expires) => live.sub.refreshed(expires));
    if (decision === 'block') live.sub.reject();
    else live.sub.start();
    this.#changed();
  }

  /** on quit: every watcher gets `terminated;reason=deactivated` with our last (offline) document */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all([...this.#live].map((l) => l.sub.close('deactivated')));
  }

  dispose(): void {
    this.#closed = true;
    for (const l of [...this.#live]) l.sub.dispose();
  }

  #pendingContacts(): string[] {
    const out = new Set<string>();
    for (const l of this.#live) {
      if (l.sub.state === 'pending' && this.#contacts.has(l.watcher) && !this.#decisions.has(l.watcher)) out.add(l.watcher);
    }
    for (const map of this.#server.values()) {
      for (const [address, status] of map) {
        if (status !== 'active' && this.#contacts.has(address) && !this.#decisions.has(address)) out.add(address);
      }
    }
    return [...out];
  }

  #count(watcher: string): number {
    let n = 0;
    for (const l of this.#live) if (l.watcher === watcher) n++;
    for (const map of this.#server.values()) if (map.get(watcher) === 'active') n++;
    return n;
  }

  #changed(): void {
    if (!this.#closed) this.#o.emit('presence:watchers-changed', this.list());
  }
}
