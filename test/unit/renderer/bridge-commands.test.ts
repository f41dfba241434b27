/**
 * The renderer's logic between the screens and main, without React: the typed API wrappers (no bridge,
 * a bridge that throws), the first load into the store, and each feature's commands (what they ask main,
 * what they put in the store, the words they return on failure).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as api from '../../../renderer/src/bridge/api.ts';
import { loadInitialState, TRACE_PAGE } from '../../../renderer/src/bridge/initial-load.ts';
import * as accounts from '../../../renderer/src/features/accounts/commands.ts';
import * as calls from '../../../renderer/src/features/calls/commands.ts';
import * as chats from '../../../renderer/src/features/chats/commands.ts';
import * as contacts from '../../../renderer/src/features/contacts/commands.ts';
import * as diagnostics from '../../../renderer/src/features/diagnostics/commands.ts';
import { outcome } from '../../../renderer/src/features/outcome.ts';
import { appStore, resetStore } from '../../../renderer/src/store/store.ts';
import type { AccountInput } from '#shared/domain/account.ts';
import type { CallDto } from '#shared/domain/call.ts';
import type { ContactDto } from '#shared/domain/contact.ts';
import type { CallId, ContactId, MessageId } from '#shared/domain/ids.ts';
import type { TraceEntryDto } from '#shared/domain/trace.ts';
import { API_GLOBAL, type InvokeChannel, type MessengerApi } from '#shared/ipc/contract.ts';
import { err, ok, type Result } from '#shared/ipc/result.ts';
import { account, accountId, conversation, conversationId, message } from './fixtures.ts';

type Answer = (request: unknown) => Result<unknown> | Promise<Result<unknown>>;

/** window.messenger as main would answer: per channel, recording every request */
function installBridge(answers: Partial<Record<InvokeChannel, Answer>>) {
  const asked: { channel: InvokeChannel; request: unknown }[] = [];
  const bridge: MessengerApi = {
    invoke: (async (channel: InvokeChannel, request: unknown) => {
      asked.push({ channel, request });
      const answer = answers[channel];
      if (answer === undefined) return err('not-implemented', `no answer for ${channel}`);
      return answer(request);
    }) as MessengerApi['invoke'],
    on: () => () => undefined,
  };
  Reflect.set(globalThis, API_GLOBAL, bridge);
  return { asked, channels: () => asked.map((a) => a.channel) };
}

const call = (id: string, over: Partial<CallDto> = {}): CallDto => ({
  id: id as CallId,
  accountId,
  direction: 'out',
  peer: 'sip:bob@example.test',
  peerName: 'Bob',
  state: 'dialing',
  muted: false,
  onHold: false,
  remoteHold: false,
  waiting: false,
  active: true,
  encrypted: false,
  codec: null, wideband: false, dtmfReceived: '',
  startedAt: 1_000,
  connectedAt: null,
  endedAt: null,
  endReason: null,
  ...over,
});

const contact = (id: string, displayName: string, address: string): ContactDto => ({ id: id as ContactId, displayName, address, note: '', createdAt: 1, blocked: false });

const trace = (seq: number): TraceEntryDto => ({
  seq,
  accountId: null,
  at: seq,
  direction: 'sent',
  transport: 'udp',
  remote: '127.0.0.1:5060',
  callId: 'c',
  summary: 'MESSAGE',
  text: 'MESSAGE sip:b@x SIP/2.0',
});

const input: AccountInput = {
  id: null,
  aor: 'sip:alice@example.test',
  displayName: 'Alice',
  authUser: 'alice',
  password: 'pw',
  registrar: 'example.test',
  outboundProxy: null,
  transport: 'udp',
  port: null,
  cpim: false,
  pinnedCertificate: null,
  enabled: true,
};

beforeEach(() => resetStore());
afterEach(() => {
  Reflect.deleteProperty(globalThis, API_GLOBAL);
});

describe('bridge/api: one typed call per channel, never a throw', () => {
  it('without window.messenger (or one without invoke/on) every call reads "not connected"', async () => {
    expect(api.messengerApi()).toBeNull();
    expect(await api.listAccounts()).toEqual({ ok: false, error: { code: 'no-bridge', message: 'The window is not connected to the app.' } });
    Reflect.set(globalThis, API_GLOBAL, { invoke: 'nope', on: () => undefined });
    expect(api.messengerApi()).toBeNull();
    expect((await api.listContacts()).ok).toBe(false);
  });

  it('a bridge that throws becomes a plain-words error; a result passes through with the request as given', async () => {
    Reflect.set(globalThis, API_GLOBAL, { invoke: () => Promise.reject(new Error('boom')), on: () => () => undefined });
    expect(await api.placeCall({ accountId: null, peer: 'sip:bob@example.test' })).toEqual({
      ok: false,
      error: { code: 'ipc-failed', message: 'The app did not answer; please try again.' },
    });
    const { asked } = installBridge({ 'chats:search': () => ok([]) });
    expect(await api.searchMessages({ query: 'hello', limit: 5 })).toEqual({ ok: true, value: [] });
    expect(asked).toEqual([{ channel: 'chats:search', request: { query: 'hello', limit: 5 } }]);
  });
});

describe('bridge/initial-load: everything main knows, into the store', () => {
  it('fills accounts, registrations, contacts, conversations and calls; not the trace (its view asks, issue 18)', async () => {
    const { asked } = installBridge({
      'accounts:list': () => ok([account('acc-1', 'sip:alice@example.test')]),
      'accounts:list-registrations': () => ok([{ accountId, registration: { state: 'registered', until: 5 } }]),
      'contacts:list': () => ok([contact('k2', 'Zoe', 'sip:zoe@x'), contact('k1', 'anna', 'sip:anna@x')]),
      'chats:list-conversations': () => ok([conversation('conv-1', 5)]),
      'calls:list': () => ok([call('c1')]),
      'diagnostics:list-trace': () => ok([trace(1), trace(2)]),
    });
    await loadInitialState(appStore.getState);
    const s = appStore.getState();
    expect(s.accounts.ids).toEqual(['acc-1']);
    expect(s.registrations[accountId]).toEqual({ state: 'registered', until: 5 });
    expect(s.contacts.ids).toEqual(['k1', 'k2']); // by name, case-insensitive
    expect(s.conversations.ids).toEqual(['conv-1']);
    expect(s.calls.ids).toEqual(['c1']);
    expect(s.notice).toBeNull();
    expect(asked.map((a) => a.channel)).not.toContain('diagnostics:list-trace');
    expect(s.trace).toEqual([]);
  });

  it('what fails is reported once in plain words; what worked is still shown', async () => {
    installBridge({
      'accounts:list': () => ok([account('acc-1', 'sip:alice@example.test')]),
      'accounts:list-registrations': () => ok([]),
      'contacts:list': () => err('storage', 'Contacts could not be read.'),
      'chats:list-conversations': () => err('storage', 'Chats could not be read.'),
      'calls:list': () => ok([]),
      'diagnostics:list-trace': () => ok([]),
    });
    await loadInitialState(appStore.getState);
    expect(appStore.getState().notice).toBe('Contacts could not be read.');
    expect(appStore.getState().accounts.ids).toEqual(['acc-1']);
  });
});

describe('features: commands ask main, then update the store', () => {
  it('outcome: an error without words says its code', async () => {
    expect(await outcome(Promise.resolve(err('busy', '')))).toEqual({ ok: false, error: 'Failed (busy).' });
    let seen = 0;
    expect(await outcome(Promise.resolve(ok(7)), (v) => (seen = v))).toEqual({ ok: true, value: 7 });
    expect(seen).toBe(7);
  });

  it('calls: placing and answering focus the call screen; a refusal leaves the store as it was', async () => {
    installBridge({
      'calls:place': () => ok(call('c1')),
      'calls:answer': () => ok(call('c2', { direction: 'in', state: 'connected', startedAt: 2_000 })),
      'calls:set-held': (r) => ok(call('c1', { onHold: (r as { held: boolean }).held, state: 'held' })),
      'calls:set-muted': () => err('no-call', 'That call has ended.'),
      'calls:send-message': () => ok(message('m9', 9, { direction: 'out', state: 'sending', callId: 'c1' as CallId })),
    });
    expect((await calls.placeCall('sip:bob@example.test')).ok).toBe(true);
    expect(appStore.getState()).toMatchObject({ screen: 'calls', focusedCallId: 'c1' });
    await calls.answerCall('c2' as CallId);
    expect(appStore.getState().focusedCallId).toBe('c2');
    expect(appStore.getState().calls.ids).toEqual(['c2', 'c1']); // newest first
    await calls.setHeld('c1' as CallId, true);
    expect(appStore.getState().calls.byId.c1).toMatchObject({ state: 'held', onHold: true });
    const before = appStore.getState().calls;
    expect(await calls.setMuted('c1' as CallId, true)).toEqual({ ok: false, error: 'That call has ended.' });
    expect(appStore.getState().calls).toBe(before);
    await calls.sendInCallMessage('c1' as CallId, 'hi');
    expect(appStore.getState().messages.m9).toMatchObject({ state: 'sending', callId: 'c1' });
  });

  it('accounts: a saved account reloads the list; a keyring problem is named so the form can offer a choice', async () => {
    const bridge = installBridge({
      'accounts:save': () => ok(account('acc-1', 'sip:alice@example.test')),
      'accounts:list': () => ok([account('acc-1', 'sip:alice@example.test')]),
      'accounts:list-registrations': () => ok([{ accountId, registration: { state: 'registering' } }]),
    });
    const saved = await accounts.saveAccount(input);
    expect(saved).toMatchObject({ ok: true, secretProblem: null });
    expect(bridge.channels()).toEqual(['accounts:save', 'accounts:list', 'accounts:list-registrations']);
    expect(appStore.getState().registrations[accountId]).toEqual({ state: 'registering' });

    for (const code of ['secret-store-obscured', 'secret-store-unavailable'] as const) {
      const b = installBridge({ 'accounts:save': () => err(code, 'The keyring is not available.') });
      expect(await accounts.saveAccount(input)).toEqual({ ok: false, error: 'The keyring is not available.', secretProblem: code });
      expect(b.channels()).toEqual(['accounts:save']); // nothing reloaded after a failure
    }
    installBridge({ 'accounts:save': () => err('invalid', 'The address is not a SIP address.') });
    expect(await accounts.saveAccount(input)).toMatchObject({ ok: false, secretProblem: null });
  });

  it('contacts: start a chat opens the conversation; start a call focuses it; saving reloads the sorted list', async () => {
    installBridge({
      'chats:open-conversation': () => ok(conversation('conv-7', 7)),
      'calls:place': () => ok(call('c3')),
      'contacts:save': () => ok(contact('k1', 'Bob', 'sip:bob@x')),
      'contacts:list': () => ok([contact('k1', 'Bob', 'sip:bob@x'), contact('k0', '', 'sip:al@x')]),
    });
    await contacts.startChat('sip:bob@example.test');
    expect(appStore.getState()).toMatchObject({ screen: 'chat', openConversationId: 'conv-7' });
    await contacts.startCall('sip:bob@example.test');
    expect(appStore.getState()).toMatchObject({ screen: 'calls', focusedCallId: 'c3' });
    await contacts.saveContact({ id: null, displayName: 'Bob', address: 'sip:bob@x', note: '' });
    // a contact without a name sorts by its address
    expect(appStore.getState().contacts.ids).toEqual(['k1', 'k0']);
  });

  it('chats: newest page, older pages by cursor (one at a time, none past the oldest), send, retry, delete', async () => {
    const bridge = installBridge({
      'chats:page-messages': (r) => {
        const before = (r as { before: string | null }).before;
        return before === null
          ? ok({ messages: [message('m3', 3), message('m2', 2)], nextCursor: 'cur-2', total: 3 })
          : ok({ messages: [message('m1', 1)], nextCursor: null, total: 3 });
      },
      'chats:send-message': () => ok({ kind: 'queued', messages: [message('m4', 4, { direction: 'out', state: 'queued' })] }),
      'chats:retry-message': () => ok(message('m4', 4, { direction: 'out', state: 'sending' })),
      'chats:delete-message': () => ok(null),
    });
    await chats.loadNewestPage(conversationId);
    expect(appStore.getState().timelines[conversationId]).toEqual({ ids: ['m2', 'm3'], nextCursor: 'cur-2', total: 3 });
    const [a, b] = [chats.loadOlderPage(conversationId), chats.loadOlderPage(conversationId)];
    await Promise.all([a, b]);
    expect(bridge.asked.filter((x) => x.channel === 'chats:page-messages').map((x) => (x.request as { before: string | null }).before)).toEqual([null, 'cur-2']);
    expect(appStore.getState().timelines[conversationId]?.ids).toEqual(['m1', 'm2', 'm3']);
    expect(await chats.loadOlderPage(conversationId)).toEqual({ ok: true, value: null });
    expect(bridge.channels().filter((c) => c === 'chats:page-messages')).toHaveLength(2);

    await chats.sendMessage(conversationId, 'hello', null);
    expect(bridge.asked.at(-1)?.request).toEqual({ conversationId, body: 'hello', expiresInSeconds: null, oversize: null });
    expect(appStore.getState().messages.m4?.state).toBe('queued');
    await chats.retryMessage('m4' as MessageId);
    expect(appStore.getState().messages.m4?.state).toBe('sending');
    await chats.deleteMessage('m4' as MessageId, conversationId);
    expect(appStore.getState().messages.m4).toBeUndefined();
    expect(appStore.getState().timelines[conversationId]?.ids).toEqual(['m1', 'm2', 'm3']);
  });

  it('chats: a failed delete keeps the message; "add to contacts" saves and refreshes the titles', async () => {
    installBridge({
      'chats:page-messages': () => ok({ messages: [message('m1', 1)], nextCursor: null, total: 1 }),
      'chats:delete-message': () => err('not-found', 'That message is gone.'),
      'contacts:save': () => ok(contact('k1', 'Bob', 'sip:bob@example.test')),
      'contacts:list': () => ok([contact('k1', 'Bob', 'sip:bob@example.test')]),
      'chats:list-conversations': () => ok([conversation('conv-1', 5, { title: 'Bob' })]),
    });
    await chats.loadNewestPage(conversationId);
    expect(await chats.deleteMessage('m1' as MessageId, conversationId)).toEqual({ ok: false, error: 'That message is gone.' });
    expect(appStore.getState().messages.m1).toBeDefined();
    // "Add to contacts" (the prefilled form) saves the contact, then the conversation titles are reloaded
    await contacts.saveContact({ id: null, displayName: 'Bob', address: 'sip:bob@example.test', note: '' });
    await chats.reloadConversations();
    expect(appStore.getState().conversations.byId['conv-1']?.title).toBe('Bob');
    expect(appStore.getState().contacts.ids).toEqual(['k1']);
  });

  it('diagnostics: the view watches (the trace page, then live entries) and stops watching', async () => {
    const { asked } = installBridge({ 'diagnostics:watch-trace': () => ok([trace(1), trace(2)]), 'diagnostics:unwatch-trace': () => ok(null) });
    expect((await diagnostics.watchTrace()).ok).toBe(true);
    expect(appStore.getState().trace.map((t) => t.seq)).toEqual([2, 1]);
    expect((await diagnostics.stopWatchingTrace()).ok).toBe(true);
    expect(asked.map((a) => [a.channel, a.request])).toEqual([
      ['diagnostics:watch-trace', { accountId: null, callId: null, limit: TRACE_PAGE }],
      ['diagnostics:unwatch-trace', null],
    ]);
  });

  it('diagnostics: reload the trace page into the store', async () => {
    installBridge({ 'diagnostics:list-trace': () => ok([trace(1), trace(2)]) });
    expect((await diagnostics.reloadTrace()).ok).toBe(true);
    expect(appStore.getState().trace.map((t) => t.seq)).toEqual([2, 1]); // newest first
  });
});
