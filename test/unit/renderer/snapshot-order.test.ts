/**
 * Issue 16 item 2: "connecting…" forever after saving an account. The save reloads the accounts and the
 * registrations together; the registrations snapshot (taken while REGISTER was out) was applied after the
 * REGISTER 200 event had arrived, and overwrote it. Snapshots now keep what an event said later.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AccountInput, RegistrationDto } from '#shared/domain/account.ts';
import type { CallDto } from '#shared/domain/call.ts';
import type { CallId } from '#shared/domain/ids.ts';
import { API_GLOBAL, type EventMap, type EventName, type MessengerApi } from '#shared/ipc/contract.ts';
import { ok } from '#shared/ipc/result.ts';
import { connectEvents } from '../../../renderer/src/bridge/events.ts';
import { loadInitialState } from '../../../renderer/src/bridge/initial-load.ts';
import { saveAccount } from '../../../renderer/src/features/accounts/commands.ts';
import { placeCall } from '../../../renderer/src/features/calls/commands.ts';
import { registrationWords } from '../../../renderer/src/lib/registration.ts';
import { appStore, resetStore } from '../../../renderer/src/store/store.ts';
import { account, accountId } from './fixtures.ts';

const s = () => appStore.getState();
const registering: RegistrationDto = { accountId, registration: { state: 'registering' } };
const registered: RegistrationDto = { accountId, registration: { state: 'registered', until: 9e12 as never } };

function call(id: string, over: Partial<CallDto> = {}): CallDto {
  return {
    id: id as CallId, accountId, direction: 'out', peer: 'sip:bob@example.test', peerName: '', state: 'dialing', muted: false, onHold: false,
    remoteHold: false, waiting: false, active: false, encrypted: false, codec: null, wideband: false, dtmfReceived: '', startedAt: 1 as never, connectedAt: null, endedAt: null, endReason: null, ...over,
  };
}

/** a fake main: each channel answers when the test says so; events are fired by hand */
function fakeMain() {
  const pending = new Map<string, ((v: unknown) => void)[]>();
  const answers = new Map<string, unknown>();
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const held = new Set<string>();
  const api: MessengerApi = {
    invoke: (channel) =>
      new Promise((resolve) => {
        const answer = () => resolve(ok(answers.get(channel) ?? []) as never);
        if (held.has(channel)) pending.set(channel, [...(pending.get(channel) ?? []), answer]);
        else answer();
      }),
    on: (event, listener) => {
      const set = listeners.get(event) ?? new Set();
      set.add(listener as (p: unknown) => void);
      listeners.set(event, set);
      return () => set.delete(listener as (p: unknown) => void);
    },
  };
  return {
    api,
    answer: (channel: string, value: unknown) => answers.set(channel, value),
    hold: (channel: string) => held.add(channel),
    release(channel: string) {
      held.delete(channel);
      for (const r of pending.get(channel) ?? []) r(undefined);
      pending.delete(channel);
    },
    fire: <E extends EventName>(event: E, payload: EventMap[E]) => {
      for (const l of listeners.get(event) ?? []) l(payload);
    },
  };
}

const flush = () => new Promise((r) => setTimeout(r, 0));
const input: AccountInput = {
  id: null, aor: 'sip:alice@example.test', displayName: 'Alice', authUser: 'alice', password: 'x', registrar: 'example.test',
  outboundProxy: null, transport: 'udp', port: null, cpim: false, pinnedCertificate: null, enabled: true,
};

describe('snapshots never overwrite a newer event (issue 16 item 2)', () => {
  let main: ReturnType<typeof fakeMain>;
  let off: () => void;
  beforeEach(() => {
    resetStore();
    main = fakeMain();
    Reflect.set(globalThis, API_GLOBAL, main.api);
    off = connectEvents(main.api, s);
  });
  afterEach(() => {
    off();
    Reflect.deleteProperty(globalThis, API_GLOBAL);
  });

  it('saving an account: the REGISTER 200 event that lands while the reload is out stays "online"', async () => {
    main.answer('accounts:save', account(accountId, 'sip:alice@example.test'));
    main.answer('accounts:list', [account(accountId, 'sip:alice@example.test')]);
    main.answer('accounts:list-registrations', [registering]); // main's state when it answered
    main.hold('accounts:list'); // the storage worker answers the account list later
    const saved = saveAccount(input);
    await flush();
    main.fire('accounts:registration-changed', registered); // REGISTER → 200 meanwhile
    main.release('accounts:list');
    expect((await saved).ok).toBe(true);
    expect(registrationWords(s().registrations[accountId]).text).toBe('online');
  });

  it('a snapshot newer than every event is applied (nothing is frozen by the mark)', async () => {
    main.fire('accounts:registration-changed', registering);
    main.answer('accounts:save', account(accountId, 'sip:alice@example.test'));
    main.answer('accounts:list', [account(accountId, 'sip:alice@example.test')]);
    main.answer('accounts:list-registrations', [registered]);
    await saveAccount(input);
    expect(s().registrations[accountId]?.state).toBe('registered');
  });

  it('first load: a call that changed during the load keeps the event\'s state, others come from the snapshot', async () => {
    main.answer('calls:list', [call('c1', { state: 'ringing' }), call('c2', { state: 'ended', endReason: 'hung up' })]);
    main.answer('accounts:list', [account(accountId, 'sip:alice@example.test')]);
    main.answer('accounts:list-registrations', [registering]);
    main.hold('calls:list');
    const loaded = loadInitialState(s);
    await flush();
    main.fire('calls:call-changed', call('c1', { state: 'connected', connectedAt: 5 as never }));
    main.fire('accounts:registration-changed', registered);
    main.release('calls:list');
    await loaded;
    expect(s().calls.byId.c1?.state).toBe('connected');
    expect(s().calls.byId.c2?.state).toBe('ended');
    expect(s().registrations[accountId]?.state).toBe('registered');
  });

  it('a reply to "place call" older than the call\'s events does not roll the call back', async () => {
    main.answer('calls:place', call('c9', { state: 'dialing' }));
    main.hold('calls:place');
    const placed = placeCall('sip:bob@example.test');
    await flush();
    main.fire('calls:call-changed', call('c9', { state: 'ringing' }));
    main.release('calls:place');
    await placed;
    expect(s().calls.byId.c9?.state).toBe('ringing');
    expect(s().focusedCallId).toBe('c9');
  });

  it('"Call" with a peer already in a live call brings that call forward and places no second call', async () => {
    main.fire('calls:call-changed', call('live', { state: 'connected', connectedAt: 2 as never, peer: 'sip:bob@example.test;transport=udp' }));
    s().navigated('contacts');
    const calls: string[] = [];
    const invoke = main.api.invoke;
    main.api.invoke = ((channel: string, req: unknown) => {
      calls.push(channel);
      return invoke(channel as never, req as never);
    }) as MessengerApi['invoke'];
    const r = await placeCall('sip:bob@EXAMPLE.test');
    expect(r.ok).toBe(true);
    expect(calls).toEqual([]);
    expect(s().screen).toBe('calls');
    expect(s().focusedCallId).toBe('live');
  });
});
