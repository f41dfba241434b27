/**
 * SipStackService: one SIP stack (transport + UserAgent + Registration) per enabled account, built from
 * AccountsService data (password through getCredentials, pinned certificate → TLS trust). It emits
 * `accounts:registration-changed`, lists registrations, rebuilds an account's stack when its settings or
 * password changed, tests a registration for the account form, keeps the wire trace for diagnostics
 * (credentials redacted), offers the chat service its PagerSender, and unregisters everything on dispose().
 * It also keeps each account's connectivity (online / connecting / offline with the cause, connectivity.ts)
 * and emits `accounts:connectivity-changed`; `networkChanged()` (the OS network came back, the machine
 * woke up) registers every account again at once; a MESSAGE that got no answer at all or hit a transport
 * error makes the registration check the PBX now, so a dead PBX is found once, not once per message.
 */
import { createHash } from 'node:crypto';
import type { AccountDto, AccountInput, RegistrationDto, RegistrationState, RegistrationTestResult } from '#shared/domain/account.ts';
import type { ConnectivityCause, ConnectivityDto } from '#shared/domain/connectivity.ts';
import type { AccountId } from '#shared/domain/ids.ts';
import type { AccountEdgeCountersDto, TraceEntryDto } from '#shared/domain/trace.ts';
import type { Emit } from '../ipc/event-bus.ts';
import { systemClock } from '../sip/transaction/index.ts';
import { attachDialogLayer, DialogLayer, type ResponseChannel } from '../sip/dialog/index.ts';
import { createResponse, formatUri, type SipRequest } from '../sip/message/index.ts';
import { answerMessage } from '../sip/ua/index.ts';
import type { RegistrationStatus, UserAgent } from '../sip/ua/index.ts';
import type { AccountCredentials } from './accounts.ts';
import type { CallAccount } from './calls/index.ts';
import { callAccountOf } from './sip-stack-calls.ts';
import type { IncomingPagerMessage, PagerSender, ReceiveAnswer } from './chats/pager.ts';
import { validateAccountInput } from './accounts-validation.ts';
import { testRegistration } from './registration-test.ts';
import { createAccountStack, trustOf, type AccountStack, type StackTuning } from './sip-stack-account.ts';
import { createPagerSender, toIncomingPagerMessage, toMessageAnswer } from './sip-stack-pager.ts';
import { connectivityChanged, connectivityOf, type RegistrationWithCause } from './connectivity.ts';
import type { WireTraceBuffer } from './sip-stack-trace.ts';
import { TraceFeed, type TraceFilter } from './trace-feed.ts';
import { PRESENCE, PRESENCE_WINFO, sendPublish, subscriptionPort } from '../sip/event/event-agent.ts';
import { xcapRootFor } from './presence/xcap-client.ts';
import type { PresenceAgent } from './presence/account-presence.ts';
import type { WatcherAgent } from './presence/watchers.ts';
import { acceptSubscribe, PRESENCE_EXPIRES } from '../sip/event/notifier-dialog.ts';
import type { RequestHandler } from '../sip/ua/user-agent-options.ts';

export interface SipStackAccounts {
  list(): Promise<readonly AccountDto[]>;
  getCredentials(id: AccountId): Promise<AccountCredentials>;
  /** stores the realm the registrar's first successful challenge used (issue 10) */
  learnRealm?(id: AccountId, realm: string): Promise<void>;
  /** the local UDP port the account's stack bound last time (null: none yet), and storing a new one */
  localPort?(id: AccountId): Promise<number | null>;
  rememberLocalPort?(id: AccountId, port: number): Promise<void>;
  /** the stored password for a test of a saved account, only against its stored server (issue 10) */
  credentialsForTest?(input: AccountInput): Promise<{ readonly account: AccountDto; readonly password: string | null }>;
}

export type MessageReceiver = (accountId: AccountId, message: IncomingPagerMessage) => Promise<ReceiveAnswer>;

export interface SipStackServiceOptions extends Partial<StackTuning> {
  readonly accounts: SipStackAccounts;
  readonly emit: Emit;
  readonly traceCapacity?: number;
  /** false: never emit `diagnostics:trace-appended`, even while watched (default: emitted while watched) */
  readonly emitTrace?: boolean;
}

interface Running {
  readonly fingerprint: string;
  readonly stack: AccountStack;
  /** the account's dialogs (calls, in-call MESSAGE), RFC 3261 §12 */
  readonly dialogs: DialogLayer;
  readonly account: AccountDto;
}

/** an incoming INVITE that starts a call (not a re-INVITE: those go to their dialog) */
export type IncomingCallHandler = (account: CallAccount, request: SipRequest, channel: ResponseChannel) => void;

export class SipStackService {
  readonly #options: SipStackServiceOptions;
  readonly #tuning: StackTuning;
  readonly #stacks = new Map<AccountId, Running>();
  readonly #states = new Map<AccountId, RegistrationState>();
  readonly #connectivity = new Map<AccountId, ConnectivityDto>();
  readonly #trace: TraceFeed;
  readonly pager: PagerSender;
  #receiver: MessageReceiver | null = null;
  #incomingCall: IncomingCallHandler | null = null;
  #watcher: ((accountId: AccountId) => RequestHandler) | null = null;
  readonly #agents = new WeakMap<AccountStack, PresenceAgent>();
  #sync: Promise<void> = Promise.resolve();
  #disposed = false;

  constructor(options: SipStackServiceOptions) {
    this.#options = options;
    this.#tuning = { ...options, clock: options.clock ?? systemClock };
    this.#trace = new TraceFeed(options.emit, { capacity: options.traceCapacity, enabled: options.emitTrace });
    this.pager = createPagerSender(
      (id) => this.userAgent(id),
      (id) => this.#states.get(id) ?? null,
      (id) => this.#stacks.get(id)?.stack.registration.verify(),
    );
  }

  /** the chat service's receive function; until set, MESSAGEs are answered 480 */
  setMessageReceiver(receiver: MessageReceiver | null): void {
    this.#receiver = receiver;
  }

  setIncomingCallHandler(handler: IncomingCallHandler | null): void {
    this.#incomingCall = handler;
  }

  /** RFC 6665 notifier side: SUBSCRIBEs to our presence from the PBX; until set they get 489 Bad Event */
  setWatcherHandler(handler: ((accountId: AccountId) => RequestHandler) | null): void {
    this.#watcher = handler;
  }

  /** PUBLISH and SUBSCRIBE (RFC 3903, RFC 6665) for the presence service; null when the stack is not running */
  presenceAgent(accountId: AccountId): PresenceAgent | null {
    const running = this.#stacks.get(accountId);
    if (running === undefined) return null;
    let agent = this.#agents.get(running.stack);
    if (agent === undefined) {
      const { ua } = running.stack;
      agent = {
        publish: (r) => sendPublish(ua, PRESENCE, r),
        subscriptionPort: (target, onNotify) => subscriptionPort(ua, running.dialogs, PRESENCE, target, onNotify),
        // RFC 3857 §3.2: the winfo subscription is to our own AOR
        winfoPort: (onNotify) => subscriptionPort(ua, running.dialogs, PRESENCE_WINFO, formatUri(ua.aor), onNotify),
        // the pres-rules go only to the PBX this account names (its outbound proxy or registrar), with its credentials
        xcapAccess: async () => {
          const root = xcapRootFor(running.account);
          if (root === null) return null;
          const credentials = await this.#options.accounts.getCredentials(accountId);
          if (credentials.password === null) return null;
          // https roots: the same trust as the account's SIP TLS connection (createAccountStack)
          const trust = trustOf(running.account.pinnedCertificate);
          return { root, aor: formatUri(ua.aor), username: credentials.authUser, password: credentials.password, ...(trust !== undefined ? { trust } : {}) };
        },
      };
      this.#agents.set(running.stack, agent);
    }
    return agent;
  }

  /** RFC 6665 notifier side (watchers.ts): answers a watcher's SUBSCRIBE and keeps its dialog; null when not running */
  watcherAgent(accountId: AccountId): WatcherAgent | null {
    const running = this.#stacks.get(accountId);
    if (running === undefined) return null;
    const { ua } = running.stack;
    return { accept: (request, channel, expires) => acceptSubscribe(ua, running.dialogs, PRESENCE, request, channel, expires, PRESENCE_EXPIRES) };
  }

  /** the SIP side of an account for the calls service; null when its stack is not running */
  callAccount(accountId: AccountId): CallAccount | null {
    const running = this.#stacks.get(accountId);
    return running ? callAccountOf(running.account, running.stack.ua, running.dialogs) : null;
  }

  /** accounts whose stack runs, in the order they were started */
  runningAccounts(): AccountId[] {
    return [...this.#stacks.keys()];
  }

  userAgent(accountId: AccountId): UserAgent | null {
    return this.#stacks.get(accountId)?.stack.ua ?? null;
  }

  /** Brings the stacks in line with the accounts (call at start and on `accounts:changed`); serialized. */
  sync(): Promise<void> {
    this.#sync = this.#sync.then(() => this.#syncNow()).catch((err: unknown) => console.error('sip-stack: sync failed', err));
    return this.#sync;
  }

  /** Rebuilds one account's stack (e.g. "register again" in the UI). */
  async restart(accountId: AccountId): Promise<void> {
    await this.#stop(accountId);
    await this.sync();
  }

  /** online, connecting or offline; null when the account's stack is not running */
  connectivity(accountId: AccountId): ConnectivityDto | null {
    return this.#connectivity.get(accountId) ?? null;
  }

  /** "Try now" (issue 11): the account registers again at once with its backoff started afresh */
  reconnect(accountId: AccountId): void {
    this.#stacks.get(accountId)?.stack.registration.networkChanged();
  }

  listConnectivity(): ConnectivityDto[] {
    return [...this.#connectivity.values()];
  }

  /**
   * The OS says the network changed, came back online or the machine resumed from sleep (Electron's
   * powerMonitor / online events feed this): every running account registers again at once.
   */
  networkChanged(): void {
    for (const running of this.#stacks.values()) running.stack.registration.networkChanged();
  }

  listRegistrations(): RegistrationDto[] {
    return [...this.#states].map(([accountId, registration]) => ({ accountId, registration }));
  }

  async testRegistration(input: AccountInput): Promise<RegistrationTestResult> {
    let password = input.password;
    let learnedRealm: string | null = null;
    if (password === null && input.id !== null) {
      // issue 10: the stored password only against the stored server (credentialsForTest refuses others)
      const forTest = this.#options.accounts.credentialsForTest;
      if (forTest === undefined) throw new Error('testRegistration: no credentialsForTest to check the stored server');
      const stored = await forTest.call(this.#options.accounts, input);
      password = stored.password;
      learnedRealm = stored.account.learnedRealm;
    }
    // the same normalisation as saving (empty auth user = the address's user part, ...); invalid input throws
    const account = { ...input, ...validateAccountInput(input), learnedRealm };
    return testRegistration(account, password, this.#tuning, (e) => this.#recordTrace(input.id, e));
  }

  listTrace(filter: TraceFilter): TraceEntryDto[] {
    return this.#trace.buffer.list(filter);
  }

  /** the diagnostics view opened: its current trace, then live entries until unwatchTrace (trace-feed.ts) */
  watchTrace(filter: TraceFilter): TraceEntryDto[] {
    return this.#trace.watch(filter);
  }

  unwatchTrace(): void {
    this.#trace.unwatch();
  }

  /** issue 10: what each running account's SIP edge turned away (source check, rate limit, cap) */
  edgeCounters(): AccountEdgeCountersDto[] {
    return [...this.#stacks].map(([accountId, { stack }]) => {
      const guard = stack.sourceGuard.counters();
      const cap = stack.serverCap.counters();
      return {
        accountId,
        offPathDropped: guard.droppedRequests,
        offPathSources: guard.droppedSources,
        rateLimited: stack.rateLimit.counters().limitedMessages,
        overloadRefused: cap.refused,
        overloadDropped: cap.dropped,
        overloadShed: cap.shed,
        liveServerTransactions: stack.ua.transactions.serverTransactionCount,
        serverTransactionCap: stack.serverCap.max,
      };
    });
  }

  /** server transactions created by the running accounts since they started: the load on the SIP edge */
  serverTransactionsCreated(): number {
    let n = 0;
    for (const { stack } of this.#stacks.values()) n += stack.ua.transactions.serverTransactionsCreated;
    return n;
  }

  /** Unregisters every account (bounded by the transaction timeout) and closes every socket. */
  async dispose(): Promise<void> {
    this.#disposed = true;
    await this.#sync.catch(() => undefined);
    await Promise.all([...this.#stacks.keys()].map((id) => this.#stop(id)));
  }

  async #syncNow(): Promise<void> {
    if (this.#disposed) return;
    const accounts = await this.#options.accounts.list();
    const wanted = new Map<AccountId, { account: AccountDto; password: string | null }>();
    for (const account of accounts) {
      if (!account.enabled) continue;
      const password = account.hasPassword ? (await this.#options.accounts.getCredentials(account.id)).password : null;
      wanted.set(account.id, { account, password });
    }
    for (const id of [...this.#stacks.keys()]) {
      const w = wanted.get(id);
      const running = this.#stacks.get(id);
      if (w === undefined || fingerprintOf(w.account, w.password) !== running?.fingerprint) await this.#stop(id);
      // settings outside the fingerprint (SRTP) take effect on the next call without a new registration
      else this.#stacks.set(id, { ...running, account: w.account });
    }
    for (const id of [...this.#states.keys()]) {
      if (!wanted.has(id) && !accounts.some((a) => a.id === id)) {
        this.#states.delete(id);
        this.#connectivity.delete(id);
      }
    }
    for (const [id, { account, password }] of wanted) {
      if (this.#stacks.has(id)) continue;
      if (password === null) {
        this.#setState(id, { state: 'failed', code: null, reason: 'no password set', retryAt: null }, 'disabled');
        continue;
      }
      await this.#start(account, password);
    }
  }

  async #start(account: AccountDto, password: string): Promise<void> {
    const id = account.id;
    let stack: AccountStack;
    const accounts = this.#options.accounts;
    try {
      const preferred = (await accounts.localPort?.(id).catch(() => null)) ?? null;
      const localPort = {
        preferred,
        remember: (port: number) => void accounts.rememberLocalPort?.(id, port).catch((err: unknown) => console.error('sip-stack: storing the local port failed', err)),
      };
      stack = await createAccountStack(account, password, this.#tuning, (e) => this.#recordTrace(id, e), (realm) => {
        void accounts.learnRealm?.(id, realm).catch((err: unknown) => console.error('sip-stack: storing the learned realm failed', err));
      }, localPort);
    } catch (err) {
      this.#setState(id, { state: 'failed', code: null, reason: `cannot start: ${err instanceof Error ? err.message : String(err)}`, retryAt: null }, 'rejected');
      return;
    }
    const dialogs: DialogLayer = new DialogLayer({
      onIncomingInvite: (request, channel) => {
        const handler = this.#incomingCall;
        if (handler === null) channel.respond(createResponse(request, 480, 'Temporarily Unavailable'));
        else handler(callAccountOf(account, stack.ua, dialogs), request, channel);
      },
    });
    this.#stacks.set(id, { fingerprint: fingerprintOf(account, password), stack, dialogs, account });
    // in-dialog requests (calls, in-call MESSAGE) go to the dialog layer; pager MESSAGEs to the chats
    attachDialogLayer(stack.ua, dialogs, (request, tx, inbound) =>
      void answerMessage(request, tx, inbound, (incoming) => {
        const receiver = this.#receiver;
        if (receiver === null) return Promise.resolve({ status: 480, reason: 'Temporarily Unavailable' });
        // a `then`, not an async arrow: no suspended frame per MESSAGE (issue 18)
        return receiver(id, toIncomingPagerMessage(incoming)).then(toMessageAnswer);
      }),
      undefined,
      (request, tx, inbound) => {
        const watcher = this.#watcher;
        // RFC 6665 §4.2.1.1 / §8.3: an event package we do not serve is answered 489 Bad Event
        if (watcher === null) tx.respond(createResponse(request, 489, 'Bad Event'));
        // issue 14 / RFC 3856 §6.6: our presence is answered only on the registered path, where the PBX
        // authenticated the watcher; with direct requests allowed, a peer's own SUBSCRIBE gets 403
        else if (!stack.sourceGuard.isTrusted(inbound.source.address)) tx.respond(createResponse(request, 403, 'Presence only through the PBX'));
        else watcher(id)(request, tx, inbound);
      },
    );
    stack.ua.onAuthFailure((request, failure) => this.#note(id, request.callId, `${request.method}: ${failure.message}`));
    stack.registration.onStatus((s) => this.#setState(id, toState(s)));
    stack.registration.start();
  }

  async #stop(id: AccountId): Promise<void> {
    const running = this.#stacks.get(id);
    if (running === undefined) return;
    this.#stacks.delete(id);
    await running.stack.close().catch(() => undefined);
    this.#setState(id, { state: 'unregistered' });
  }

  #setState(accountId: AccountId, registration: RegistrationWithCause, cause?: ConnectivityCause): void {
    this.#states.set(accountId, registration);
    this.#options.emit('accounts:registration-changed', { accountId, registration });
    const previous = this.#connectivity.get(accountId) ?? null;
    const withCause = cause !== undefined && registration.state === 'failed' ? { ...registration, cause } : registration;
    const next = connectivityOf(accountId, withCause, previous, (this.#options.wallClock ?? Date.now)());
    if (!connectivityChanged(previous, next)) return;
    this.#connectivity.set(accountId, next);
    this.#options.emit('accounts:connectivity-changed', next);
  }

  #note(accountId: AccountId, callId: string | null, summary: string): void {
    this.#trace.note(accountId, (this.#tuning.wallClock ?? Date.now)(), callId, summary);
  }

  #recordTrace(accountId: AccountId | null, event: Parameters<WireTraceBuffer['record']>[1]): void {
    this.#trace.record(accountId, event);
  }
}

function toState(s: RegistrationStatus): RegistrationWithCause {
  return s;
}

/** what a stack is built from: a change in any of it rebuilds the stack (the password only as a hash) */
function fingerprintOf(account: AccountDto, password: string | null): string {
  const { aor, displayName, authUser, registrar, outboundProxy, transport, port, pinnedCertificate, realm, extraRealms, allowDirect } = account;
  const secret = createHash('sha256').update(password ?? '').digest('hex');
  // the learned realm is not in it: learning it must not rebuild the stack that learned it
  return JSON.stringify([aor, displayName, authUser, registrar, outboundProxy, transport, port, pinnedCertificate, realm, extraRealms, allowDirect, secret]);
}
