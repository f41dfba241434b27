/**
 * A call between two app instances through TWO record-routing hops (RFC 3261 §12.1.2, §12.2.1.1, §16.4):
 * Kamailio's SIP port is the "outer" hop (the caller's side), its second UDP port the "inner" hop (the
 * callee's side), so the INVITE collects two Record-Route entries. The UAC MUST reverse them into its route
 * set (outer first), the UAS keeps their order (inner first). Each hop answers 403 to an in-dialog request
 * whose top Route is not its own or that reaches it from the wrong side of the chain, so a route set in
 * the wrong order fails here for real: in-call messages, hold and hang-up only work when both are right.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallDto } from '#shared/domain/call.ts';
import type { RunningKamailio } from '../support/kamailio.ts';
import { waitFor } from '../support/peers.ts';
import { accountInput, isFinal, startApp, waitRegistered, type App } from '../support/app-process-kit.ts';
import { startKamailioOnFreePorts } from './register-kit.ts';

const callState = (app: App, id: string): CallDto | undefined => app.of('calls:call-changed').filter((c) => c.id === id).at(-1);

/** every sent request/received response of `summary` (e.g. "MESSAGE", "200 OK") in the app's wire trace */
function traced(app: App, direction: 'sent' | 'received', startsWith: string): string[] {
  return app.services.sip
    .listTrace({ accountId: null, callId: null, limit: 5000 })
    .filter((t) => t.direction === direction && t.summary.startsWith(startsWith))
    .map((t) => t.text);
}

/** the values of the `name` header field(s) of a message, comma lists split, ftag dropped */
function uris(text: string, name: 'Route' | 'Record-Route'): string[] {
  const head = text.split('\r\n\r\n')[0] ?? '';
  return head
    .split('\r\n')
    .filter((line) => line.toLowerCase().startsWith(`${name.toLowerCase()}:`))
    .flatMap((line) => line.slice(name.length + 1).split(/,(?=\s*<)/))
    .map((v) => v.trim().replace(/;ftag=[^;>]*/, ''));
}

describe('a call through two record-routing hops: the route set in the right order on each side', () => {
  let kamailio: RunningKamailio;
  let sipPort: number;
  let innerPort: number;
  let alice: App;
  let bob: App;

  beforeAll(async () => {
    const started = await startKamailioOnFreePorts(32_000, 300, { secondHop: true });
    ({ kamailio, sipPort } = started);
    innerPort = started.secondHopPort ?? -1;
    alice = await startApp();
    bob = await startApp();
    const aliceAccount = await alice.call('accounts:save', accountInput({ user: 'alice', sipPort, transport: 'udp' }));
    const bobAccount = await bob.call('accounts:save', accountInput({ user: 'bob', sipPort, transport: 'udp' }));
    await waitRegistered(alice, aliceAccount.id);
    await waitRegistered(bob, bobAccount.id);
  });

  afterAll(async () => {
    await alice?.services.dispose();
    await bob?.services.dispose();
    await kamailio?.stop();
  });

  it('the UAC reverses two Record-Routes (outer first), the UAS keeps them (inner first); in-dialog MESSAGE both ways, hold and BYE pass both hops', async () => {
    const outer = `<sip:127.0.0.1:${String(sipPort)};hop=outer;lr>`;
    const inner = `<sip:127.0.0.1:${String(innerPort)};hop=inner;lr>`;

    const placed = await alice.call('calls:place', { accountId: null, peer: 'sip:bob@example.test' });
    await waitFor(() => bob.of('calls:call-changed').some((c) => c.state === 'incoming'), 'incoming call at bob', 15_000);
    const incoming = bob.of('calls:call-changed').find((c) => c.state === 'incoming');
    expect(incoming).toBeDefined();
    await bob.call('calls:answer', { callId: incoming!.id });
    await waitFor(() => callState(alice, placed.id)?.state === 'connected', 'alice connected', 15_000);

    // the INVITE really went through two hops: bob saw two Record-Routes, the inner (last added) on top
    const invites = traced(bob, 'received', 'INVITE');
    expect(invites.length).toBeGreaterThan(0);
    expect(uris(invites[0]!, 'Record-Route')).toEqual([inner, outer]);
    const ok = traced(alice, 'received', '200').find((t) => /^CSeq:\s*\d+ INVITE/im.test(t));
    expect(ok && uris(ok, 'Record-Route')).toEqual([inner, outer]);

    // caller → callee inside the dialog: Route outer, inner (the UAC's reversal)
    const sent = await alice.call('calls:send-message', { callId: placed.id, body: 'two hops to you' });
    // a hop refusing the route set answers 403: wait for the outcome, then say which it was
    await waitFor(() => alice.of('chats:message-changed').some((m) => m.id === sent.id && isFinal(m)), 'the in-call message outcome', 15_000);
    expect(alice.of('chats:message-changed').filter((m) => m.id === sent.id).at(-1)).toMatchObject({ state: 'delivered', sentOutOfDialog: false });
    expect(bob.of('chats:message-received').find((m) => m.body === 'two hops to you')?.callId).toBe(incoming!.id);
    expect(sent.callId).toBe(placed.id);
    const aliceMessage = traced(alice, 'sent', 'MESSAGE').at(-1)!;
    expect(uris(aliceMessage, 'Route')).toEqual([outer, inner]);
    // and the ACK of the 2xx took the same route set
    expect(uris(traced(alice, 'sent', 'ACK').at(-1)!, 'Route')).toEqual([outer, inner]);

    // callee → caller: Route inner, outer (the UAS's order), sent in the dialog, not as a pager fallback
    const fromBob = await bob.call('calls:send-message', { callId: incoming!.id, body: 'and back to you' });
    await waitFor(() => alice.of('chats:message-received').some((m) => m.body === 'and back to you' && m.callId === placed.id), 'reply in the call chat', 15_000);
    await waitFor(() => bob.of('chats:message-changed').some((m) => m.id === fromBob.id && m.state === 'delivered'), 'reply delivered', 15_000);
    expect(bob.of('chats:message-changed').filter((m) => m.id === fromBob.id).at(-1)?.sentOutOfDialog).toBe(false);
    expect(uris(traced(bob, 'sent', 'MESSAGE').at(-1)!, 'Route')).toEqual([inner, outer]);

    // a re-INVITE from the caller (hold) and the BYE pass both hops too
    await alice.call('calls:set-held', { callId: placed.id, held: true });
    await waitFor(() => callState(bob, incoming!.id)?.remoteHold === true, 'bob sees remote hold', 15_000);
    await alice.call('calls:hang-up', { callId: placed.id });
    await waitFor(() => callState(bob, incoming!.id)?.state === 'ended', 'bob sees the end', 15_000);
    expect(uris(traced(alice, 'sent', 'BYE').at(-1)!, 'Route')).toEqual([outer, inner]);
    // no hop refused anything along the way
    expect(kamailio.log()).not.toMatch(/two hops:/);
  });
});
