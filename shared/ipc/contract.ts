/**
 * The IPC contract: every invoke channel (request schema → response type) and every event
 * (main → renderer). It is the only source of channel names and types for main/ipc, the
 * preload, the renderer bridge and the test host.
 */
import type { AccountDto, AccountInput, RegistrationDto, RegistrationTestResult } from '../domain/account.ts';
import type { CallDto } from '../domain/call.ts';
import type { ConnectivityDto } from '../domain/connectivity.ts';
import type { ConversationDto, MessageDto, MessagePage, MessageSizeDto, SearchHit } from '../domain/chat.ts';
import type { BlockedAddressDto, ContactDto } from '../domain/contact.ts';
import type { AccountId, CallId, ContactId, ConversationId, MessageId } from '../domain/ids.ts';
import type { NotificationSettings } from '../domain/notifications.ts';
import type { PrivacySettings } from '../domain/privacy.ts';
import type { CertificateDto, ConversationProtectionDto, OwnIdentityDto, ProtectionSetting } from '../domain/security.ts';
import type { AccountPresenceDto, OwnPresenceDto, PeerPresenceDto, PresenceSnapshot, WatcherDecision, WatcherDto } from '../domain/presence.ts';
import type { EdgeDiagnosticsDto, SelfTestResult, TraceEntryDto } from '../domain/trace.ts';
import type { Result } from './result.ts';
import { s, type Infer, type Schema } from './schema.ts';

/** One S/MIME event for the diagnostics view (a replay refused with 400, an undecipherable body ...). */
export interface SmimeDiagnosticDto {
  readonly at: number;
  readonly event: string;
  readonly detail: string;
}

export interface AppInfo {
  readonly name: string;
  readonly version: string;
  readonly platform: string;
  readonly dataDir: string;
}

export type SendOutcome =
  | { readonly kind: 'queued'; readonly messages: readonly MessageDto[] }
  /** RFC 3428 §8: over 1300 bytes and no congestion-controlled transport: the user must choose */
  | ({ readonly kind: 'needs-choice' } & MessageSizeDto);

/** A phantom marker carrying the response type of a channel. */
interface Returns<T> {
  readonly __response?: T;
}
const channel = <Req, Res>(request: Schema<Req>): { request: Schema<Req> } & Returns<Res> => ({ request });

const accountInput = s.object({
  id: s.nullable(s.id<AccountId>()),
  aor: s.string({ min: 1, max: 512 }),
  displayName: s.string({ max: 200 }),
  authUser: s.string({ max: 200 }),
  password: s.nullable(s.string({ max: 512 })),
  registrar: s.string({ max: 512 }),
  outboundProxy: s.nullable(s.string({ max: 512 })),
  transport: s.literal('udp', 'tcp', 'tls'),
  port: s.nullable(s.int({ min: 1, max: 65535 })),
  cpim: s.boolean(),
  pinnedCertificate: s.nullable(s.string({ max: 20_000 })),
  enabled: s.boolean(),
  realm: s.nullable(s.string({ max: 200 })),
  extraRealms: s.optional(s.array(s.string({ min: 1, max: 200 }), { max: 8 })),
  allowDirect: s.optional(s.boolean()),
  srtp: s.nullable(s.literal('off', 'offered', 'required')),
  srtpOverInsecure: s.optional(s.boolean()),
  passwordStorage: s.nullable(s.literal('keyring', 'session', 'obscured')),
});

export const invokeContract = {
  'app:get-info': channel<null, AppInfo>(s.none()),

  'accounts:list': channel<null, readonly AccountDto[]>(s.none()),
  'accounts:save': channel<AccountInput, AccountDto>(accountInput),
  'accounts:remove': channel<{ readonly id: AccountId }, null>(s.object({ id: s.id<AccountId>() })),
  'accounts:test-registration': channel<AccountInput, RegistrationTestResult>(accountInput),
  'accounts:list-registrations': channel<null, readonly RegistrationDto[]>(s.none()),
  /** online / connecting / offline with the cause, per running account */
  'accounts:list-connectivity': channel<null, readonly ConnectivityDto[]>(s.none()),
  /** "Try now": an offline account registers again at once, its backoff started afresh (issue 11) */
  'accounts:reconnect': channel<{ readonly id: AccountId }, null>(s.object({ id: s.id<AccountId>() })),

  'contacts:list': channel<null, readonly ContactDto[]>(s.none()),
  'contacts:save': channel<
    { readonly id: ContactId | null; readonly displayName: string; readonly address: string; readonly note: string },
    ContactDto
  >(
    s.object({
      id: s.nullable(s.id<ContactId>()),
      displayName: s.string({ max: 200 }),
      address: s.string({ min: 1, max: 512 }),
      note: s.string({ max: 2000 }),
    }),
  ),
  'contacts:remove': channel<{ readonly id: ContactId }, null>(s.object({ id: s.id<ContactId>() })),
  /** blocked addresses (issue 10): their MESSAGEs are answered 403 and not stored */
  'contacts:list-blocked': channel<null, readonly BlockedAddressDto[]>(s.none()),
  'contacts:block': channel<{ readonly address: string }, null>(s.object({ address: s.string({ min: 1, max: 512 }) })),
  'contacts:unblock': channel<{ readonly address: string }, null>(s.object({ address: s.string({ min: 1, max: 512 }) })),

  'chats:list-conversations': channel<null, readonly ConversationDto[]>(s.none()),
  /** a message request: the sender becomes a contact and the conversation an ordinary one */
  'chats:accept-request': channel<{ readonly conversationId: ConversationId }, ConversationDto>(
    s.object({ conversationId: s.id<ConversationId>() }),
  ),
  'chats:open-conversation': channel<{ readonly accountId: AccountId | null; readonly peer: string }, ConversationDto>(
    s.object({ accountId: s.nullable(s.id<AccountId>()), peer: s.string({ min: 1, max: 512 }) }),
  ),
  'chats:page-messages': channel<
    { readonly conversationId: ConversationId; readonly before: string | null; readonly limit: number },
    MessagePage
  >(
    s.object({
      conversationId: s.id<ConversationId>(),
      before: s.nullable(s.string({ max: 100 })),
      limit: s.int({ min: 1, max: 1000 }),
    }),
  ),
  'chats:send-message': channel<
    {
      readonly conversationId: ConversationId;
      readonly body: string;
      readonly expiresInSeconds: number | null;
      readonly oversize: 'split' | 'stream' | 'cancel' | null;
    },
    SendOutcome
  >(
    s.object({
      conversationId: s.id<ConversationId>(),
      body: s.string({ min: 1, max: 200_000 }),
      expiresInSeconds: s.nullable(s.int({ min: 1, max: 365 * 24 * 3600 })),
      oversize: s.nullable(s.literal('split', 'stream', 'cancel')),
    }),
  ),
  /** the size the composer shows as the user nears the limit: the whole request, counted as the sender counts it */
  'chats:measure-message': channel<{ readonly conversationId: ConversationId; readonly body: string }, MessageSizeDto>(
    s.object({ conversationId: s.id<ConversationId>(), body: s.string({ max: 200_000 }) }),
  ),
  'chats:retry-message': channel<{ readonly messageId: MessageId }, MessageDto>(
    s.object({ messageId: s.id<MessageId>() }),
  ),
  /** a message waiting in the outbox (queued, "will retry") is not sent after all: failed, "cancelled" */
  'chats:cancel-message': channel<{ readonly messageId: MessageId }, MessageDto>(
    s.object({ messageId: s.id<MessageId>() }),
  ),
  /**
   * "Send now" for a message waiting in the outbox: online, the account's waiting messages go out at once
   * (in order); offline, the account tries to register now and they go out when it is back
   */
  'chats:send-now': channel<{ readonly messageId: MessageId }, MessageDto>(s.object({ messageId: s.id<MessageId>() })),
  'chats:delete-message': channel<{ readonly messageId: MessageId }, null>(s.object({ messageId: s.id<MessageId>() })),
  /** the conversation and all its messages (queued ones are then never sent) */
  'chats:delete-conversation': channel<{ readonly conversationId: ConversationId }, null>(
    s.object({ conversationId: s.id<ConversationId>() }),
  ),
  'chats:mark-read': channel<{ readonly conversationId: ConversationId }, null>(
    s.object({ conversationId: s.id<ConversationId>() }),
  ),
  /**
   * these incoming messages were on screen in a focused window: read receipts (RFC 5438 display
   * notifications) go to senders who asked, unless the user turned them off; returns how many went out
   */
  'chats:messages-displayed': channel<{ readonly conversationId: ConversationId; readonly messageIds: readonly MessageId[] }, number>(
    s.object({ conversationId: s.id<ConversationId>(), messageIds: s.array(s.id<MessageId>(), { max: 500 }) }),
  ),
  /** the composer changed: `composing` true while text is in it (RFC 3994 "typing…" to the peer) */
  'typing:set-composing': channel<{ readonly conversationId: ConversationId; readonly composing: boolean }, null>(
    s.object({ conversationId: s.id<ConversationId>(), composing: s.boolean() }),
  ),
  'chats:search': channel<{ readonly query: string; readonly limit: number }, readonly SearchHit[]>(
    s.object({ query: s.string({ min: 1, max: 200 }), limit: s.int({ min: 1, max: 500 }) }),
  ),

  'calls:list': channel<null, readonly CallDto[]>(s.none()),
  'calls:place': channel<{ readonly accountId: AccountId | null; readonly peer: string }, CallDto>(
    s.object({ accountId: s.nullable(s.id<AccountId>()), peer: s.string({ min: 1, max: 512 }) }),
  ),
  'calls:answer': channel<{ readonly callId: CallId }, CallDto>(s.object({ callId: s.id<CallId>() })),
  'calls:decline': channel<{ readonly callId: CallId }, null>(s.object({ callId: s.id<CallId>() })),
  'calls:hang-up': channel<{ readonly callId: CallId }, null>(s.object({ callId: s.id<CallId>() })),
  'calls:set-muted': channel<{ readonly callId: CallId; readonly muted: boolean }, CallDto>(
    s.object({ callId: s.id<CallId>(), muted: s.boolean() }),
  ),
  'calls:set-held': channel<{ readonly callId: CallId; readonly held: boolean }, CallDto>(
    s.object({ callId: s.id<CallId>(), held: s.boolean() }),
  ),
  'calls:send-dtmf': channel<{ readonly callId: CallId; readonly digits: string }, null>(
    s.object({ callId: s.id<CallId>(), digits: s.string({ min: 1, max: 32 }) }),
  ),
  'calls:send-message': channel<{ readonly callId: CallId; readonly body: string }, MessageDto>(
    s.object({ callId: s.id<CallId>(), body: s.string({ min: 1, max: 200_000 }) }),
  ),

  /** our presence, every contact's, and each account's presence support */
  'presence:get': channel<null, PresenceSnapshot>(s.none()),
  'presence:set-own': channel<{ readonly mode: OwnPresenceDto['mode']; readonly note: string }, OwnPresenceDto>(
    s.object({ mode: s.literal('auto', 'away', 'busy', 'offline'), note: s.string({ max: 200 }) }),
  ),

  /** who watches our presence: pending requests from contacts, then the stored decisions */
  'presence:watchers': channel<null, readonly WatcherDto[]>(s.none()),
  'presence:decide-watcher': channel<{ readonly address: string; readonly decision: WatcherDecision }, readonly WatcherDto[]>(
    s.object({ address: s.string({ min: 1, max: 512 }), decision: s.literal('allow', 'block') }),
  ),

  'settings:get-privacy': channel<null, PrivacySettings>(s.none()),
  'settings:save-privacy': channel<PrivacySettings, PrivacySettings>(
    s.object({ sendTyping: s.boolean(), sendReadReceipts: s.boolean(), sharePresence: s.literal('contacts', 'nobody') }),
  ),
  /** desktop notifications: messages on/off, the text in them, calls on/off (message requests never notify) */
  'settings:get-notifications': channel<null, NotificationSettings>(s.none()),
  'settings:save-notifications': channel<NotificationSettings, NotificationSettings>(
    s.object({ messages: s.boolean(), messageText: s.boolean(), calls: s.boolean() }),
  ),
  // S/MIME (RFC 3428 §11.3, RFC 8551): our identity per account, contacts' certificates, per-conversation setting
  'security:get-identity': channel<{ readonly accountId: AccountId }, OwnIdentityDto | null>(s.object({ accountId: s.id<AccountId>() })),
  'security:generate-identity': channel<{ readonly accountId: AccountId; readonly kind: 'rsa-2048' | 'ecdsa-p256' }, OwnIdentityDto>(
    s.object({ accountId: s.id<AccountId>(), kind: s.literal('rsa-2048', 'ecdsa-p256') }),
  ),
  'security:import-identity': channel<{ readonly accountId: AccountId; readonly pkcs12Base64: string; readonly password: string }, OwnIdentityDto>(
    s.object({ accountId: s.id<AccountId>(), pkcs12Base64: s.string({ min: 4, max: 200_000 }), password: s.string({ max: 1000 }) }),
  ),
  'security:set-enabled': channel<{ readonly accountId: AccountId; readonly enabled: boolean }, OwnIdentityDto>(
    s.object({ accountId: s.id<AccountId>(), enabled: s.boolean() }),
  ),
  'security:export-certificate': channel<{ readonly accountId: AccountId }, { readonly pem: string }>(s.object({ accountId: s.id<AccountId>() })),
  'security:list-contact-certificates': channel<null, readonly CertificateDto[]>(s.none()),
  'security:import-contact-certificate': channel<{ readonly address: string; readonly pem: string }, CertificateDto>(
    s.object({ address: s.string({ min: 1, max: 512 }), pem: s.string({ min: 1, max: 50_000 }) }),
  ),
  'security:mark-verified': channel<{ readonly address: string; readonly fingerprint: string }, CertificateDto>(
    s.object({ address: s.string({ min: 1, max: 512 }), fingerprint: s.string({ min: 64, max: 64 }) }),
  ),
  'security:accept-changed-certificate': channel<{ readonly address: string }, CertificateDto>(s.object({ address: s.string({ min: 1, max: 512 }) })),
  'security:get-conversation-protection': channel<{ readonly conversationId: ConversationId }, ConversationProtectionDto>(
    s.object({ conversationId: s.id<ConversationId>() }),
  ),
  'security:set-conversation-protection': channel<
    { readonly conversationId: ConversationId; readonly setting: ProtectionSetting | null; readonly required: boolean },
    ConversationProtectionDto
  >(
    s.object({ conversationId: s.id<ConversationId>(), setting: s.nullable(s.literal('off', 'sign', 'sign+encrypt')), required: s.boolean() }),
  ),
  'security:list-diagnostics': channel<null, readonly SmimeDiagnosticDto[]>(s.none()),

  'diagnostics:list-trace': channel<
    { readonly accountId: AccountId | null; readonly callId: string | null; readonly limit: number },
    readonly TraceEntryDto[]
  >(
    s.object({
      accountId: s.nullable(s.id<AccountId>()),
      callId: s.nullable(s.string({ max: 500 })),
      limit: s.int({ min: 1, max: 5000 }),
    }),
  ),
  /** issue 18: the diagnostics view opened — the current trace (newest last), then live trace-appended events */
  'diagnostics:watch-trace': channel<
    { readonly accountId: AccountId | null; readonly callId: string | null; readonly limit: number },
    readonly TraceEntryDto[]
  >(
    s.object({
      accountId: s.nullable(s.id<AccountId>()),
      callId: s.nullable(s.string({ max: 500 })),
      limit: s.int({ min: 1, max: 5000 }),
    }),
  ),
  /** the diagnostics view closed: no more trace-appended events */
  'diagnostics:unwatch-trace': channel<null, null>(s.none()),
  'diagnostics:send-test-message': channel<{ readonly accountId: AccountId }, SelfTestResult>(
    s.object({ accountId: s.id<AccountId>() }),
  ),
  /** issue 10: what the SIP edge turned away per account, and how few notices the messages cost */
  'diagnostics:edge-counters': channel<null, EdgeDiagnosticsDto>(s.none()),
} as const;

/** Events main → renderer, named in the past tense. */
export interface EventMap {
  'accounts:changed': readonly AccountDto[];
  'accounts:registration-changed': RegistrationDto;
  'accounts:connectivity-changed': ConnectivityDto;
  'contacts:changed': readonly ContactDto[];
  /** the blocked addresses, after every block or unblock */
  'contacts:blocked-changed': readonly BlockedAddressDto[];
  'chats:conversation-changed': ConversationDto;
  /** a new incoming message; the shell notifies it unless its conversation is a message request */
  'chats:message-received': MessageDto;
  'chats:message-changed': MessageDto;
  'chats:message-deleted': { readonly id: MessageId; readonly conversationId: ConversationId };
  /** the peer is (not) typing (RFC 3994); never stored */
  'chats:peer-typing-changed': { readonly accountId: AccountId; readonly peer: string; readonly typing: boolean };
  'calls:call-changed': CallDto;
  'settings:privacy-changed': PrivacySettings;
  'settings:notifications-changed': NotificationSettings;
  /** a contact's presence changed (RFC 3856 NOTIFY) */
  'presence:peer-changed': PeerPresenceDto;
  /** what we publish changed (mode, note, idle, in a call) */
  'presence:own-changed': OwnPresenceDto;
  /** an account's PBX turned out to support presence, or not (489/405: said once) */
  'presence:account-changed': AccountPresenceDto;
  /** a watcher asked to see our presence, or the user decided (RFC 3856 §6.6) */
  'presence:watchers-changed': readonly WatcherDto[];
  /** only while the diagnostics view watches (diagnostics:watch-trace) */
  'diagnostics:trace-appended': TraceEntryDto;
  /** a sip:/sips:/im: link was opened: the renderer shows that conversation */
  'app:address-opened': { readonly conversationId: ConversationId };
}

/** The event names, as a value (the preload's allowlist). Kept equal to EventMap by the type below. */
export const eventNames = [
  'accounts:changed',
  'accounts:registration-changed',
  'accounts:connectivity-changed',
  'contacts:changed',
  'contacts:blocked-changed',
  'chats:conversation-changed',
  'chats:message-received',
  'chats:message-changed',
  'chats:message-deleted',
  'chats:peer-typing-changed',
  'calls:call-changed',
  'settings:privacy-changed',
  'settings:notifications-changed',
  'presence:peer-changed',
  'presence:own-changed',
  'presence:account-changed',
  'presence:watchers-changed',
  'diagnostics:trace-appended',
  'app:address-opened',
] as const satisfies readonly (keyof EventMap)[];
// compile-time proof that the list names every event exactly
type MissingEvents = Exclude<keyof EventMap, (typeof eventNames)[number]>;
const _allEventsListed: MissingEvents extends never ? true : never = true;
void _allEventsListed;

export type InvokeContract = typeof invokeContract;
export type InvokeChannel = keyof InvokeContract;
export type EventName = keyof EventMap;
export type RequestOf<C extends InvokeChannel> = Infer<InvokeContract[C]['request']>;
export type ResponseOf<C extends InvokeChannel> = InvokeContract[C] extends Returns<infer R> ? R : never;
export const invokeChannels = Object.keys(invokeContract) as InvokeChannel[];

/** What the preload exposes as `window.messenger` (and the test bridge implements). */
export interface MessengerApi {
  invoke<C extends InvokeChannel>(channel: C, request: RequestOf<C>): Promise<Result<ResponseOf<C>>>;
  on<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): () => void;
}

/** The Electron IPC channel names: invoke channels are used as-is; events too. */
export const API_GLOBAL = 'messenger';
