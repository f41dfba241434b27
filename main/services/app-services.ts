/**
 * Composition of the main services, shared by the Electron app (main/index.ts) and the renderer test host
 * (test/host): both build exactly this, so the renderer talks to the same code in tests as in the app.
 */
import { join } from 'node:path';
import type { ConversationDto } from '#shared/domain/chat.ts';
import { EventBus } from '../ipc/event-bus.ts';
import type { IpcHandlers } from '../ipc/router.ts';
import { ServiceError } from '../ipc/service-error.ts';
import { openStorage, type Storage } from '../storage/storage.ts';
import { isSelfTestEcho, sendSelfTest } from './self-test.ts';
import { AccountsService } from './accounts.ts';
import { MediaSession } from '../media/index.ts';
import { settleWithin, systemClock } from '../sip/transaction/index.ts';
import { CallsService, createCallHandlers, type CallAudioPort } from './calls/index.ts';
import { CALL_AUDIO_RATE } from './calls/audio-frames.ts';
import { ChatService } from './chats/chat-service.ts';
import { createChatHandlers } from './chats/chat-handlers.ts';
import { ContactsService } from './contacts.ts';
import { MessageRequestsService } from './message-requests.ts';
import { SmimeService } from './security/smime-service.ts';
import { createSecurityHandlers } from './security/security-handlers.ts';
import type { SecretStore } from './secret-store.ts';
import { SipStackService, type SipStackServiceOptions } from './sip-stack.ts';
import { createTyping } from './typing/typing-wiring.ts';
import { NotificationSettingsService } from './notification-settings.ts';
import { PrivacyService } from './privacy.ts';
import { PresenceService } from './presence/presence-service.ts';
import { WatcherService } from './presence/watchers.ts';
import { peerKey } from './typing/typing-service.ts';
import { formatUri } from '../sip/message/index.ts';
import { ReceiptsService } from './receipts/receipts-service.ts';
import type { NoticeGate } from './notices/notice-gate.ts';
import { wireNotices } from './notices/notice-wiring.ts';
import { randomUUID } from 'node:crypto';
import { MemoryReclaimer, type MemoryReclaimCounters, type MemoryReclaimOptions } from './memory-reclaim.ts';
import { allowHeapReclaim, reduceHeapMemory } from '../storage/heap-reclaim.ts';
import { limitHeapGrowth } from './heap-growth.ts';

/** quitting waits at most this for the offline PUBLISH and the unSUBSCRIBEs (RFC 3903, RFC 6665) */
const PRESENCE_CLOSE_WAIT_MS = 3_000;

export interface AppServicesOptions {
  /** folder for the database and logs */
  readonly dataDir: string;
  readonly secrets: SecretStore;
  readonly appVersion: string;
  /** the storage worker script when bundled (electron-vite `?modulePath`); source default otherwise */
  readonly storageWorkerUrl?: string | URL;
  /** ':memory:' for throwaway test hosts; default `<dataDir>/messenger.db` */
  readonly databasePath?: string;
  /** the microphone and speaker of calls (the renderer's audio in the app; a WAV or tone in tests) */
  readonly audio?: CallAudioPort;
  /** SIP stack tuning (tests bind 127.0.0.1, shorten timers and backoff); defaults suit the app */
  readonly sip?: Omit<SipStackServiceOptions, 'accounts' | 'emit'>;
  /**
   * The OS's network events (the Electron shell feeds it from powerMonitor resume/unlock and the window's
   * online event; tests call it by hand): every account registers again at once.
   */
  readonly network?: NetworkEvents;
  /** memory back to the OS after a flood (memory-reclaim.ts): its timing, or false for none; default on */
  readonly memoryReclaim?: Pick<MemoryReclaimOptions, 'intervalMs' | 'thresholdBytes' | 'minGapMs'> | false;
  /** false: leave V8's old-generation growth as V8 picks it (heap-growth.ts; for comparisons); default limited */
  readonly limitHeapGrowth?: boolean;
}

/** the SIP edge counts as quiet (a flood is over) below this many new requests per second */
const QUIET_REQUESTS_PER_SECOND = 20;

/** An injected source of "the network may have changed" signals (resume from sleep, back online). */
export interface NetworkEvents {
  onChange(listener: (kind: 'online' | 'resume' | 'network-change') => void): () => void;
}

export interface AppServices {
  readonly handlers: IpcHandlers;
  readonly events: EventBus;
  readonly storage: Storage;
  readonly accounts: AccountsService;
  readonly contacts: ContactsService;
  readonly sip: SipStackService;
  readonly chats: ChatService;
  readonly calls: CallsService;
  readonly smime: SmimeService;
  /** presence (RFC 3856): the Electron shell feeds it the idle state from powerMonitor */
  readonly presence: PresenceService;
  /** which message notifications to show, coalesced and rate-limited (issue 10); the shell shows them */
  readonly notices: NoticeGate;
  /** settings → Notifications: the shell asks it before a call notice */
  readonly notificationSettings: NotificationSettingsService;
  /** total unread messages, for the tray/dock badge */
  unreadCount(): number;
  /** memory-reducing GCs run after floods (issue 10), for diagnostics and load tests */
  memoryReclaims(): MemoryReclaimCounters;
  /** a sip:/sips:/im: link was opened (protocol handler / second instance) */
  openAddress(address: string): Promise<void>;
  dispose(): Promise<void>;
}

/** no microphone and no speaker: calls still connect, sending silence (until an audio port is given) */
const silentAudio: CallAudioPort = {
  open: () => ({ play: () => undefined, close: () => undefined }),
};

export async function createAppServices(options: AppServicesOptions): Promise<AppServices> {
  // issue 10: a flood's promoted garbage is collected before it piles up (heap-growth.ts)
  if (options.limitHeapGrowth !== false) limitHeapGrowth();
  // issue 10: memory back after a flood; V8's gc extension allowed before the storage worker starts (heap-reclaim.ts)
  if (options.memoryReclaim !== false) allowHeapReclaim();
  const events = new EventBus();
  const storage = await openStorage(options.databasePath ?? join(options.dataDir, 'messenger.db'), {
    ...(options.storageWorkerUrl ? { workerUrl: options.storageWorkerUrl } : {}),
  });
  const accounts = new AccountsService({ storage, secrets: options.secrets, emit: events.emit, settings: storage });
  const contacts = new ContactsService({ storage, emit: events.emit });
  // unread per conversation, kept from the events themselves: O(1) per message, no query per event
  const unreadBy = new Map<string, number>();
  // a message request (issue 10) counts for nothing: its count shows under "Message requests" only
  const unreadOf = (c: ConversationDto) => (c.unknownSender ? 0 : c.unread);
  const reloadUnread = async () => {
    const list = await storage.listConversations();
    unreadBy.clear();
    for (const c of list) unreadBy.set(c.id, unreadOf(c));
  };
  await reloadUnread();
  // removing an account removes its conversations: start again from storage (rare)
  events.on('accounts:changed', () => void reloadUnread());
  events.on('chats:conversation-changed', (c) => void unreadBy.set(c.id, unreadOf(c)));
  // message requests and blocked addresses (issue 10)
  const requests = await MessageRequestsService.open({ storage, contacts, emit: events.emit });

  const sip = new SipStackService({ ...options.sip, accounts, emit: events.emit });
  // settings → Notifications (issue 16): read by the gate on every message, by the shell on every call
  const notificationSettings = await NotificationSettingsService.open(storage, events.emit);
  const notices = wireNotices(events, systemClock, () => contacts.list(), { settings: () => notificationSettings.get() });
  const privacy = await PrivacyService.open(storage, events.emit);
  // receipts (RFC 5438 IMDN): never stored as messages; read receipts only while the user allows them
  const receipts = new ReceiptsService({
    storage,
    accounts,
    sender: sip.pager,
    emit: events.emit,
    now: Date.now,
    newMessageId: randomUUID,
    sendReadReceipts: () => privacy.get().sendReadReceipts,
    onError: (message, error) => console.error(message, error),
    clock: systemClock,
  });
  // S/MIME (RFC 3428 §11.3): identities, trust store and replay cache from storage; both send and receive paths
  const smime = await SmimeService.open({ storage, secrets: options.secrets, accounts });
  const chats = new ChatService({
    storage,
    sender: sip.pager,
    emit: events.emit,
    receipts,
    smime: smime.receiveDeps(),
    smimeSend: smime,
    connection: { isOnline: (id) => sip.connectivity(id)?.state === 'online', reconnect: (id) => sip.reconnect(id) },
    isBlocked: (peer) => requests.isBlocked(peer),
  });
  // presence (RFC 3856/3903/6665): publish ours, watch every contact, on every registered account
  const watchersRef: { current: WatcherService | null } = { current: null };
  const presence = new PresenceService({
    clock: systemClock,
    emit: events.emit,
    aorOf: (id) => {
      const ua = sip.userAgent(id);
      return ua === null ? null : formatUri(ua.aor);
    },
    agentOf: (id) => sip.presenceAgent(id),
    contacts: async () => (await contacts.list()).map((c) => peerKey(c.address)),
    sharesPresence: () => privacy.get().sharePresence !== 'nobody',
    // the PBX as presence server: its watcher list (RFC 3858) feeds the requests, our decisions go back as pres-rules
    onServerWatchers: (id, list) => watchersRef.current?.serverWatchersChanged(id, list),
    presRules: () => watchersRef.current?.presRules() ?? null,
  });
  events.on('contacts:changed', () => void presence.contactsChanged());
  events.on('settings:privacy-changed', () => presence.privacyChanged());
  events.on('accounts:registration-changed', ({ accountId, registration }) =>
    presence.registrationChanged(accountId, registration.state === 'registered'),
  );
  events.on('calls:call-changed', (c) => presence.callChanged(c.accountId, c.id, c.state !== 'ended'));
  // watchers of our presence (RFC 3856 §6.6 / RFC 6665 notifier): only contacts the user allowed, only via the PBX
  const watchers = await WatcherService.open({
    clock: systemClock,
    emit: events.emit,
    store: storage,
    agentOf: (id) => sip.watcherAgent(id),
    documentOf: (id) => presence.documentFor(id),
    normalize: peerKey,
  });
  watchersRef.current = watchers;
  watchers.contactsChanged((await contacts.list()).map((c) => peerKey(c.address)));
  events.on('presence:watchers-changed', () => presence.presRulesChanged());
  events.on('contacts:changed', (list) => watchers.contactsChanged(list.map((c) => peerKey(c.address))));
  events.on('presence:own-changed', () => watchers.documentChanged());
  sip.setWatcherHandler((accountId) => (request, tx) => watchers.handle(accountId, request, tx));
  // "typing…" (RFC 3994): never stored, never notified; its own service beside the chats
  const callsRef: { current: CallsService | null } = { current: null };
  const typing = createTyping({
    clock: systemClock,
    events,
    storage,
    sip,
    calls: () => callsRef.current,
    enabled: () => privacy.get().sendTyping,
  });
  sip.setMessageReceiver(async (accountId, message) => {
    // our own self test coming back: proof enough that routing works, not a chat message
    if (isSelfTestEcho(message, (await accounts.get(accountId)).aor)) return { status: 200 };
    // a blocked sender (issue 10): 403 for its messages and its typing notices alike, nothing stored
    if (requests.isBlocked(message.from)) return { status: 403 };
    if (typing.isComposingBody(message.contentType)) {
      const status = typing.service.receive(accountId, message.from, message.body);
      return status === 200 ? { status } : { status, reason: 'Malformed is-composing document' };
    }
    return chats.receive(accountId, message);
  });
  // the outbox goes out whenever an account is (again) registered (RFC 3428 outbox, issue 5)
  events.on('accounts:registration-changed', ({ accountId, registration }) => {
    if (registration.state === 'registered') void chats.resume(accountId);
  });
  events.on('accounts:changed', () => void sip.sync());
  const offNetwork = options.network?.onChange(() => sip.networkChanged()) ?? (() => undefined);

  const calls = new CallsService({
    clock: systemClock,
    emit: events.emit,
    isBlocked: (peer) => requests.isBlocked(peer),
    history: storage,
    accounts: {
      resolve: (accountId) => {
        const id = accountId ?? sip.runningAccounts()[0];
        const account = id === undefined ? null : sip.callAccount(id);
        if (account === null) throw new ServiceError('not-registered', 'No account is connected to the PBX; add or enable one first.');
        return account;
      },
    },
    openMedia: (o) =>
      MediaSession.open({ clock: systemClock, bindAddress: o.bindAddress, sampleRate: CALL_AUDIO_RATE, onAudio: o.onAudio, onInactive: o.onInactive, onDtmf: (e) => o.onDtmf?.(e.digit) }),
    audio: options.audio ?? silentAudio,
    messages: storage,
    pager: sip.pager,
    composing: (accountId, peer, body) => typing.service.receive(accountId, peer, body),
  });
  callsRef.current = calls;
  sip.setIncomingCallHandler((account, request, channel) => void calls.incoming(account, request, channel));

  const handlers: IpcHandlers = {
    'app:get-info': () => ({
      name: 'SIP Messenger',
      version: options.appVersion,
      platform: process.platform,
      dataDir: options.dataDir,
    }),
    'accounts:list': () => accounts.list(),
    'accounts:save': (input) => accounts.save(input),
    'accounts:remove': async ({ id }) => {
      await accounts.remove(id);
      return null;
    },
    'accounts:test-registration': (input) => sip.testRegistration(input),
    'accounts:list-registrations': () => sip.listRegistrations(),
    'accounts:list-connectivity': () => sip.listConnectivity(),
    'accounts:reconnect': ({ id }) => {
      sip.reconnect(id);
      return null;
    },
    'contacts:list': () => contacts.list(),
    'contacts:save': (input) => contacts.save(input),
    'contacts:remove': async ({ id }) => {
      await contacts.remove(id);
      return null;
    },
    'contacts:list-blocked': () => requests.listBlocked(),
    'contacts:block': async ({ address }) => {
      await requests.block(address);
      return null;
    },
    'contacts:unblock': async ({ address }) => {
      await requests.unblock(address);
      return null;
    },

    ...createChatHandlers({ chats, storage, emit: events.emit, receipts, requests }),
    ...createSecurityHandlers({ smime, storage, emit: events.emit }),
    ...createCallHandlers(calls),
    'typing:set-composing': async ({ conversationId, composing }) => {
      await typing.service.composing(conversationId, composing);
      return null;
    },
    'presence:get': () => presence.snapshot(),
    'presence:set-own': ({ mode, note }) => presence.setOwn(mode, note),
    'presence:watchers': () => watchers.list(),
    'presence:decide-watcher': ({ address, decision }) => watchers.decide(address, decision),
    'settings:get-privacy': () => privacy.get(),
    'settings:save-privacy': (settings) => privacy.save(settings),
    'settings:get-notifications': () => notificationSettings.get(),
    'settings:save-notifications': (settings) => notificationSettings.save(settings),
    'diagnostics:list-trace': (filter) => sip.listTrace(filter),
    'diagnostics:watch-trace': (filter) => sip.watchTrace(filter),
    'diagnostics:unwatch-trace': () => {
      sip.unwatchTrace();
      return null;
    },
    'diagnostics:send-test-message': async ({ accountId }) => sendSelfTest(sip.pager, await accounts.get(accountId)),
    'diagnostics:edge-counters': () => ({ accounts: sip.edgeCounters(), notifications: notices.gate.counters() }),
  };
  await sip.sync();
  // issue 10: after a flood, V8 keeps its grown heap resident; give it back once the edge is quiet
  let requestsSeen = sip.serverTransactionsCreated();
  let lookedAt = systemClock.now();
  const quiet = (): boolean => {
    const [count, now] = [sip.serverTransactionsCreated(), systemClock.now()];
    const rate = ((count - requestsSeen) * 1000) / Math.max(1, now - lookedAt);
    [requestsSeen, lookedAt] = [count, now];
    return rate < QUIET_REQUESTS_PER_SECOND;
  };
  const reclaimer =
    options.memoryReclaim === false
      ? null
      : new MemoryReclaimer({
          clock: systemClock,
          rss: () => process.memoryUsage.rss(),
          quiet,
          reclaim: async () => {
            reduceHeapMemory();
            await storage.reclaimMemory();
          },
          ...options.memoryReclaim,
        });
  reclaimer?.start();
  return {
    handlers,
    events,
    storage,
    accounts,
    contacts,
    sip,
    chats,
    calls,
    smime,
    presence,
    notices: notices.gate,
    notificationSettings,
    unreadCount: () => [...unreadBy.values()].reduce((n, u) => n + u, 0),
    memoryReclaims: () => reclaimer?.counters() ?? { reclaims: 0, releasedBytes: 0 },
    openAddress: async (address) => {
      const conversation = await chats.openConversation(null, address);
      events.emit('app:address-opened', { conversationId: conversation.id });
    },
    dispose: async () => {
      // unregister first (RFC 3261 §10.2.2), then let pending writes finish
      reclaimer?.stop();
      typing.service.dispose();
      notices.dispose();
      offNetwork();
      await calls.closeAll();
      // offline on quit (RFC 3903 modify), subscriptions ended, watchers told (deactivated), before unregistering;
      // a courtesy to watchers: a PBX that does not answer does not hold up the quit
      if (!(await settleWithin(systemClock, PRESENCE_CLOSE_WAIT_MS, Promise.all([presence.close(), watchers.close()])))) {
        presence.dispose();
        watchers.dispose();
      }
      await sip.dispose();
      chats.close();
      await chats.idle();
      // waiting IMDN retries are dropped (this process only); one in flight finishes
      receipts.dispose();
      await receipts.idle();
      await storage.close();
    },
  };
}
