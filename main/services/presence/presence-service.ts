/**
 * Presence (RFC 3856 over RFC 6665 SUBSCRIBE/NOTIFY and RFC 3903 PUBLISH, PIDF RFC 3863):
 *
 * Our state: the user's mode (auto / away / busy / offline) and note; `auto` is available, or away once
 * the injected idle source says the user is idle (Electron's powerMonitor in the app); a call in
 * progress makes it `in-call` automatically; sharing with nobody publishes offline. It is published on
 * every registered account whose PBX supports presence, and offline is published on quit.
 *
 * Others: every contact is watched on every registered account (one subscription dialog each); each
 * NOTIFY becomes `presence:peer-changed`. After a re-registration every dialog is made anew.
 *
 * A PBX that answers 489/405/501 is noted once in `presence:account-changed` (support: unsupported)
 * and gets no more presence requests from that account.
 *
 * Watchers at the PBX (the PUBLISH model: the PBX, not our UA, answers SUBSCRIBEs to us): once the PBX
 * is known to do presence, we subscribe to our own watcher information (RFC 3857/3858, watcher-info.ts)
 * and hand the list to `onServerWatchers`; when the server gives it, the user's decisions are stored there
 * as pres-rules (RFC 5025 over XCAP, pres-rules-upload.ts), so the PBX authorizes watchers as the user did.
 */
import type { AccountId } from '#shared/domain/ids.ts';
import type { AccountPresenceDto, Availability, OwnPresenceDto, PeerPresenceDto, PresenceMode, PresenceSnapshot } from '#shared/domain/presence.ts';
import type { Emit } from '../../ipc/event-bus.ts';
import { buildPidf } from '../../sip/body/pidf.ts';
import type { Clock } from '../../sip/transaction/clock.ts';
import type { PresRules } from '../../sip/body/pres-rules.ts';
import { AccountPresence, type PresenceAgent } from './account-presence.ts';
import { PresRulesUpload } from './pres-rules-upload.ts';
import { WatcherInfo, type ServerWatcher } from './watcher-info.ts';

export interface PresenceServiceOptions {
  readonly clock: Clock;
  readonly emit: Emit;
  /** the account's AOR (the PIDF entity), or null when unknown */
  readonly aorOf: (accountId: AccountId) => string | null;
  /** the event agent of a running account stack, or null */
  readonly agentOf: (accountId: AccountId) => PresenceAgent | null;
  /** the addresses to watch (contacts), normalized */
  readonly contacts: () => Promise<readonly string[]>;
  /** privacy: share our presence with nobody → we publish offline */
  readonly sharesPresence: () => boolean;
  /** Timer N for subscriptions (tests) */
  readonly timerNMs?: number;
  /** the watchers of our presence at the PBX (RFC 3858), on every change */
  readonly onServerWatchers?: (accountId: AccountId, watchers: readonly ServerWatcher[]) => void;
  /** the user's decisions as pres-rules (RFC 5025) for the PBX */
  readonly presRules?: () => PresRules | null;
}

interface Running {
  readonly agent: PresenceAgent;
  readonly presence: AccountPresence;
  winfo: WatcherInfo | null;
  rules: PresRulesUpload | null;
  /** the PBX gives us watcher information (winfo active): it authorizes watchers, our decisions go there */
  serverWatchers: boolean;
}

const MAX_NOTE = 200;

export class PresenceService {
  readonly #o: PresenceServiceOptions;
  readonly #running = new Map<AccountId, Running>();
  readonly #registered = new Set<AccountId>();
  readonly #peers = new Map<string, PeerPresenceDto>();
  readonly #support = new Map<AccountId, AccountPresenceDto>();
  readonly #callsByAccount = new Map<AccountId, Set<string>>();
  #mode: PresenceMode = 'auto';
  #note = '';
  #idle = false;
  #closed = false;

  constructor(options: PresenceServiceOptions) {
    this.#o = options;
  }

  snapshot(): PresenceSnapshot {
    return { own: this.own(), peers: [...this.#peers.values()], accounts: [...this.#support.values()] };
  }

  own(): OwnPresenceDto {
    return { mode: this.#mode, note: this.#note, availability: this.#availability(null) };
  }

  setOwn(mode: PresenceMode, note: string): OwnPresenceDto {
    this.#mode = mode;
    this.#note = note.replace(/[\u0000-\u001f\u007f]/g, ' ').trim().slice(0, MAX_NOTE);
    this.#publishAll();
    return this.own();
  }

  /** the idle source (powerMonitor in the app): idle makes `auto` away */
  setIdle(idle: boolean): void {
    if (this.#idle === idle) return;
    this.#idle = idle;
    this.#publishAll();
  }

  /** a call's state changed (calls:call-changed): a live call makes us in-call on its account */
  callChanged(accountId: AccountId, callId: string, live: boolean): void {
    const set = this.#callsByAccount.get(accountId) ?? new Set<string>();
    const before = set.size > 0;
    if (live) set.add(callId);
    else set.delete(callId);
    this.#callsByAccount.set(accountId, set);
    if (before !== set.size > 0) this.#publishAll();
  }

  /** privacy changed (share with contacts / nobody) */
  privacyChanged(): void {
    this.#publishAll();
  }

  /** the account's registration state (accounts:registration-changed) */
  registrationChanged(accountId: AccountId, registered: boolean): void {
    if (this.#closed) return;
    const was = this.#registered.has(accountId);
    if (!registered) {
      this.#registered.delete(accountId);
      return;
    }
    this.#registered.add(accountId);
    const agent = this.#o.agentOf(accountId);
    const running = this.#running.get(accountId);
    // said once, stopped for good (this process): a 489/405 PBX gets no more presence requests
    if (agent === null || this.#support.get(accountId)?.support === 'unsupported') return;
    if (running !== undefined && running.agent === agent) {
      // RFC 6665 §4.1.2: after a re-registration the dialogs are made anew
      if (!was) {
        running.presence.reRegistered();
        running.winfo?.restart();
        running.rules?.forget();
      }
      return;
    }
    if (running !== undefined) this.#stop(running);
    this.#start(accountId, agent);
  }

  /** the contact list changed: watch exactly its addresses */
  async contactsChanged(): Promise<void> {
    const peers = await this.#o.contacts();
    for (const r of this.#running.values()) r.presence.watch(peers);
  }

  /** the user's watcher decisions changed: the PBX's pres-rules follow where it takes them */
  presRulesChanged(): void {
    for (const r of this.#running.values()) if (r.serverWatchers) r.rules?.sync();
  }

  /** our PIDF for this account as published now (RFC 3863), for the watchers we notify ourselves */
  documentFor(accountId: AccountId): string | null {
    const aor = this.#o.aorOf(accountId);
    if (aor === null) return null;
    const availability = this.#closed ? 'offline' : this.#availability(accountId);
    const note = availability === 'offline' && !this.#o.sharesPresence() ? null : this.#note || null;
    return buildPidf({ entity: aor, availability, note });
  }

  /** offline on quit (RFC 3903 modify to a closed tuple), then every subscription ended */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all(
      [...this.#running.entries()].map(([accountId, r]) => {
        const aor = this.#o.aorOf(accountId);
        r.rules?.close();
        return Promise.all([
          r.presence.close(aor === null ? null : buildPidf({ entity: aor, availability: 'offline', note: this.#note || null })),
          r.winfo?.stop(),
        ]);
      }),
    );
    this.#running.clear();
  }

  dispose(): void {
    this.#closed = true;
    for (const r of this.#running.values()) this.#stop(r);
    this.#running.clear();
  }

  #stop(r: Running): void {
    r.presence.dispose();
    r.winfo?.dispose();
    r.rules?.close();
  }

  /** RFC 3857: watcher information once the PBX is known to do presence; pres-rules once it gives it */
  #startWatcherInfo(accountId: AccountId, running: Running): void {
    const { agent } = running;
    if (running.winfo !== null || agent.winfoPort === undefined || this.#closed) return;
    const xcapAccess = agent.xcapAccess?.bind(agent);
    const presRules = this.#o.presRules;
    running.rules =
      xcapAccess !== undefined && presRules !== undefined
        ? new PresRulesUpload({ access: xcapAccess, rules: presRules, onResult: (r) => this.#authorization(accountId, r.problem) })
        : null;
    let winfo: WatcherInfo | null = null;
    const port = agent.winfoPort((e) => winfo?.notified(e));
    winfo = new WatcherInfo({
      clock: this.#o.clock,
      port,
      ...(this.#o.timerNMs !== undefined ? { timerNMs: this.#o.timerNMs } : {}),
      onWatchers: (list) => this.#o.onServerWatchers?.(accountId, list),
      // the server keeps watcher state (winfo active): our decisions belong there too
      onStatus: (s) => {
        if (s === 'active') {
          running.serverWatchers = true;
          running.rules?.sync();
        } else if (s === 'unsupported' || s === 'rejected' || s === 'terminated') {
          // e.g. our own UA answered the winfo SUBSCRIBE 489 (the PBX relays SUBSCRIBEs to us): we authorize
          running.serverWatchers = false;
        }
      },
    });
    running.winfo = winfo;
    winfo.start();
  }

  #start(accountId: AccountId, agent: PresenceAgent): void {
    const presence = new AccountPresence({
      clock: this.#o.clock,
      agent,
      ...(this.#o.timerNMs !== undefined ? { timerNMs: this.#o.timerNMs } : {}),
      onPeer: (peer, state) => {
        const dto: PeerPresenceDto = { accountId, peer, ...state };
        this.#peers.set(`${accountId}\n${peer}`, dto);
        this.#o.emit('presence:peer-changed', dto);
      },
      onSupported: () => {
        this.#setSupport({ accountId, support: 'supported', summary: null });
        const running = this.#running.get(accountId);
        if (running !== undefined) this.#startWatcherInfo(accountId, running);
      },
      onUnsupported: (status) => {
        const running = this.#running.get(accountId);
        if (running !== undefined) this.#stop(running);
        this.#running.delete(accountId);
        this.#setSupport({ accountId, support: 'unsupported', summary: `presence is not supported by the PBX (${String(status)})` });
      },
    });
    this.#running.set(accountId, { agent, presence, winfo: null, rules: null, serverWatchers: false });
    this.#publish(accountId, presence);
    void this.#o.contacts().then((peers) => presence.watch(peers));
  }

  /** the outcome of storing the user's choices on the PBX, said in the account status when it changes */
  #authorization(accountId: AccountId, problem: string | null): void {
    const before = this.#support.get(accountId);
    if (before?.support !== 'supported') return;
    const words =
      problem === null
        ? 'the PBX decides who sees your status, with your Allow/Block choices'
        : `your Allow/Block choices could not be stored on the PBX (${problem}); it may show your status to anyone who asks`;
    if (before.authorization === words) return;
    const dto: AccountPresenceDto = { ...before, authorization: words };
    this.#support.set(accountId, dto);
    this.#o.emit('presence:account-changed', dto);
  }

  #setSupport(dto: AccountPresenceDto): void {
    const before = this.#support.get(dto.accountId);
    // said once: an unsupported account stays so (no flapping back)
    if (before?.support === dto.support || before?.support === 'unsupported') return;
    this.#support.set(dto.accountId, dto);
    this.#o.emit('presence:account-changed', dto);
  }

  #availability(accountId: AccountId | null): Availability {
    if (this.#mode === 'offline' || !this.#o.sharesPresence()) return 'offline';
    const inCall = accountId === null ? [...this.#callsByAccount.values()].some((s) => s.size > 0) : (this.#callsByAccount.get(accountId)?.size ?? 0) > 0;
    if (inCall) return 'in-call';
    if (this.#mode === 'busy') return 'busy';
    if (this.#mode === 'away' || this.#idle) return 'away';
    return 'available';
  }

  #publishAll(): void {
    for (const [accountId, r] of this.#running) this.#publish(accountId, r.presence);
    this.#o.emit('presence:own-changed', this.own());
  }

  #publish(accountId: AccountId, presence: AccountPresence): void {
    if (this.#closed) return;
    // sharing with nobody: a closed tuple without the note
    const pidf = this.documentFor(accountId);
    if (pidf !== null) presence.publish(pidf);
  }
}
