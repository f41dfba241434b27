/**
 * The IPC contract: every invoke channel (request schema → response type) and every event
 * (main → renderer). It is the only source of channel names and types for main/ipc, the
 * preload, the renderer bridge and the test host.
 */
import type { AccountDto, RegistrationDto, RegistrationTestResult } from '../domain/account.ts';
import type { CallDto } from '../domain/call.ts';
import type { ConversationDto, MessageDto, MessagePage, SearchHit } from '../domain/chat.ts';
import type { ContactDto } from '../domain/contact.ts';
import type { AccountId, CallId, ContactId, ConversationId, MessageId } from '../domain/ids.ts';
import type { SelfTestResult, TraceEntryDto } from '../domain/trace.ts';
import type { Result } from './result.ts';
import { type Infer, type Schema } from './schema.ts';
export interface AppInfo {
    readonly name: string;
    readonly version: string;
    readonly platform: string;
    readonly dataDir: string;
}
export type SendOutcome = {
    readonly kind: 'queued';
    readonly messages: readonly MessageDto[];
}
/** RFC 3428 §8: over 1300 bytes and no congestion-controlled transport: the user must choose */
 | {
    readonly kind: 'needs-choice';
    readonly bytes: number;
    readonly limit: number;
};
/** A phantom marker carrying the response type of a channel. */
interface Returns<T> {
    readonly __response?: T;
}
export declare const invokeContract: {
    readonly 'app:get-info': {
        request: Schema<null>;
    } & Returns<AppInfo>;
    readonly 'accounts:list': {
        request: Schema<null>;
    } & Returns<readonly AccountDto[]>;
    readonly 'accounts:save': {
        request: Schema<{
            readonly id: AccountId | null;
            readonly aor: string;
            readonly displayName: string;
            readonly authUser: string;
            readonly password: string | null;
            readonly registrar: string;
            readonly outboundProxy: string | null;
            readonly transport: "udp" | "tcp" | "tls";
            readonly port: number | null;
            readonly cpim: boolean;
            readonly pinnedCertificate: string | null;
            readonly enabled: boolean;
        }>;
    } & Returns<AccountDto>;
    readonly 'accounts:remove': {
        request: Schema<{
            readonly id: AccountId;
        }>;
    } & Returns<null>;
    readonly 'accounts:test-registration': {
        request: Schema<{
            readonly id: AccountId | null;
            readonly aor: string;
            readonly displayName: string;
            readonly authUser: string;
            readonly password: string | null;
            readonly registrar: string;
            readonly outboundProxy: string | null;
            readonly transport: "udp" | "tcp" | "tls";
            readonly port: number | null;
            readonly cpim: boolean;
            readonly pinnedCertificate: string | null;
            readonly enabled: boolean;
        }>;
    } & Returns<RegistrationTestResult>;
    readonly 'accounts:list-registrations': {
        request: Schema<null>;
    } & Returns<readonly RegistrationDto[]>;
    readonly 'contacts:list': {
        request: Schema<null>;
    } & Returns<readonly ContactDto[]>;
    readonly 'contacts:save': {
        request: Schema<{
            readonly id: ContactId | null;
            readonly displayName: string;
            readonly address: string;
            readonly note: string;
        }>;
    } & Returns<ContactDto>;
    readonly 'contacts:remove': {
        request: Schema<{
            readonly id: ContactId;
        }>;
    } & Returns<null>;
    readonly 'chats:list-conversations': {
        request: Schema<null>;
    } & Returns<readonly ConversationDto[]>;
    readonly 'chats:open-conversation': {
        request: Schema<{
            readonly accountId: AccountId | null;
            readonly peer: string;
        }>;
    } & Returns<ConversationDto>;
    readonly 'chats:page-messages': {
        request: Schema<{
            readonly conversationId: ConversationId;
            readonly before: string | null;
            readonly limit: number;
        }>;
    } & Returns<MessagePage>;
    readonly 'chats:send-message': {
        request: Schema<{
            readonly conversationId: ConversationId;
            readonly body: string;
            readonly expiresInSeconds: number | null;
            readonly oversize: "split" | "cancel" | null;
        }>;
    } & Returns<SendOutcome>;
    readonly 'chats:retry-message': {
        request: Schema<{
            readonly messageId: MessageId;
        }>;
    } & Returns<MessageDto>;
    readonly 'chats:delete-message': {
        request: Schema<{
            readonly messageId: MessageId;
        }>;
    } & Returns<null>;
    readonly 'chats:mark-read': {
        request: Schema<{
            readonly conversationId: ConversationId;
        }>;
    } & Returns<null>;
    readonly 'chats:search': {
        request: Schema<{
            readonly query: string;
            readonly limit: number;
        }>;
    } & Returns<readonly SearchHit[]>;
    readonly 'calls:list': {
        request: Schema<null>;
    } & Returns<readonly CallDto[]>;
    readonly 'calls:place': {
        request: Schema<{
            readonly accountId: AccountId | null;
            readonly peer: string;
        }>;
    } & Returns<CallDto>;
    readonly 'calls:answer': {
        request: Schema<{
            readonly callId: CallId;
        }>;
    } & Returns<CallDto>;
    readonly 'calls:decline': {
        request: Schema<{
            readonly callId: CallId;
        }>;
    } & Returns<null>;
    readonly 'calls:hang-up': {
        request: Schema<{
            readonly callId: CallId;
        }>;
    } & Returns<null>;
    readonly 'calls:set-muted': {
        request: Schema<{
            readonly callId: CallId;
            readonly muted: boolean;
        }>;
    } & Returns<CallDto>;
    readonly 'calls:set-held': {
        request: Schema<{
            readonly callId: CallId;
            readonly held: boolean;
        }>;
    } & Returns<CallDto>;
    readonly 'calls:send-dtmf': {
        request: Schema<{
            readonly callId: CallId;
            readonly digits: string;
        }>;
    } & Returns<null>;
    readonly 'calls:send-message': {
        request: Schema<{
            readonly callId: CallId;
            readonly body: string;
        }>;
    } & Returns<MessageDto>;
    readonly 'diagnostics:list-trace': {
        request: Schema<{
            readonly accountId: AccountId | null;
            readonly callId: string | null;
            readonly limit: number;
        }>;
    } & Returns<readonly TraceEntryDto[]>;
    readonly 'diagnostics:send-test-message': {
        request: Schema<{
            readonly accountId: AccountId;
        }>;
    } & Returns<SelfTestResult>;
};
/** Events main → renderer, named in the past tense. */
export interface EventMap {
    'accounts:changed': readonly AccountDto[];
    'accounts:registration-changed': RegistrationDto;
    'contacts:changed': readonly ContactDto[];
    'chats:conversation-changed': ConversationDto;
    'chats:message-received': MessageDto;
    'chats:message-changed': MessageDto;
    'chats:message-deleted': {
        readonly id: MessageId;
        readonly conversationId: ConversationId;
    };
    'calls:call-changed': CallDto;
    'diagnostics:trace-appended': TraceEntryDto;
    /** a sip:/sips:/im: link was opened: the renderer shows that conversation */
    'app:address-opened': {
        readonly conversationId: ConversationId;
    };
}
/** The event names, as a value (the preload's allowlist). Kept equal to EventMap by the type below. */
export declare const eventNames: readonly ["accounts:changed", "accounts:registration-changed", "contacts:changed", "chats:conversation-changed", "chats:message-received", "chats:message-changed", "chats:message-deleted", "calls:call-changed", "diagnostics:trace-appended", "app:address-opened"];
export type InvokeContract = typeof invokeContract;
export type InvokeChannel = keyof InvokeContract;
export type EventName = keyof EventMap;
export type RequestOf<C extends InvokeChannel> = Infer<InvokeContract[C]['request']>;
export type ResponseOf<C extends InvokeChannel> = InvokeContract[C] extends Returns<infer R> ? R : never;
export declare const invokeChannels: InvokeChannel[];
/** What the preload exposes as `window.messenger` (and the test bridge implements). */
export interface MessengerApi {
    invoke<C extends InvokeChannel>(channel: C, request: RequestOf<C>): Promise<Result<ResponseOf<C>>>;
    on<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): () => void;
}
/** The Electron IPC channel names: invoke channels are used as-is; events too. */
export declare const API_GLOBAL = "messenger";
export {};
