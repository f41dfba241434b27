/**
 * Call history across a restart (issue 16): calls end, the CallsService and its storage close, a new
 * CallsService opens on the same database file and `calls:list` still shows them, in the same order and
 * with the same words; one history write per call, none per state change.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CallDto } from '#shared/domain/call.ts';
import type { AccountId, CallId } from '#shared/domain/ids.ts';
import { CallsService, createCallHandlers } from '../../../../main/services/calls/index.ts';
import type { CallAccount } from '../../../../main/services/calls/index.ts';
import { DialogLayer } from '../../../../main/sip/dialog/index.ts';
import { openStorage, type Storage } from '../../../../main/storage/storage.ts';
import { FakeClock } from '../../../support/fake-clock.ts';
import { answer, Channel, FakeUa, incomingInvite, REMOTE_SDP } from '../../sip/dialog/fake-ua.ts';
import { tempDir } from '../../storage/fixtures.ts';
import { RecordingMedia } from './calls-rig.ts';

const WAIT = { timeout: 10_000 };

interface Run {
  readonly calls: CallsService;
  readonly ua: FakeUa;
  readonly layer: DialogLayer;
  readonly storage: Storage;
  readonly saves: CallDto[];
  readonly list: () => Promise<readonly CallDto[]>;
}

async function start(path: string, prefix: string): Promise<Run> {
  const storage = await openStorage(path);
  const ua = new FakeUa();
  const saves: CallDto[] = [];
  let calls: CallsService | null = null;
  const layer = new DialogLayer({ onIncomingInvite: (r, ch) => void calls?.incoming(account, r, ch) });
  const account: CallAccount = { id: 'acc-alice' as AccountId, aor: 'sip:alice@example.test', displayName: 'Alice', ua, layer, contact: () => '<sip:alice@127.0.0.1:5060>', mediaAddress: '127.0.0.1' };
  let n = 0;
  let now = 1_000_000;
  calls = new CallsService({
    clock: new FakeClock(),
    now: () => (now += 1_000),
    emit: () => {},
    accounts: { resolve: () => account },
    openMedia: async (o) => new RecordingMedia(o),
    audio: { open: () => ({ play: () => {}, close: () => {} }) },
    messages: storage,
    pager: null,
    onError: (m, e) => {
      if (!/^media for call/.test(m)) throw new Error(`${m}: ${String(e)}`);
    },
    newId: () => `${prefix}-${++n}`,
    history: {
      listCallHistory: (limit) => storage.listCallHistory(limit),
      saveEndedCall: (call) => {
        saves.push(call);
        return storage.saveEndedCall(call);
      },
    },
  });
  const handlers = createCallHandlers(calls);
  return { calls, ua, layer, storage, saves, list: async () => handlers['calls:list'](null) as Promise<readonly CallDto[]> };
}

describe('call history survives a restart (issue 16)', () => {
  const tmp = tempDir();
  afterEach(() => tmp.remove());

  it('ended calls (answered, busy, declined) are listed after the services reopen on the same data, same order and words', async () => {
    const path = tmp.file('app.db');
    const first = await start(path, 'run1');
    // an answered outgoing call (dialing, ringing, connected, ended: several state changes, one write)
    const talk = await first.calls.place(null, 'bob@example.test');
    const inv = first.ua.invites[0];
    inv?.handlers.onProvisional(answer(inv.request, 180));
    inv?.handlers.onFinal(answer(inv.request, 200, { body: REMOTE_SDP }));
    expect(first.calls.get(talk.id).state).toBe('connected');
    first.calls.hangUp(talk.id);
    // a busy outgoing call
    const busy = await first.calls.place(null, 'carol@example.test');
    const inv2 = first.ua.invites[1];
    inv2?.handlers.onFinal(answer(inv2.request, 486));
    // an incoming call the user declined
    const ch = new Channel();
    first.layer.receiveRequest(incomingInvite(), ch);
    await vi.waitFor(() => expect(ch.statuses).toEqual([180]), WAIT);
    const incoming = first.calls.list()[2]?.id as CallId;
    first.calls.decline(incoming);

    const before = await first.list();
    expect(before.map((c) => [c.id, c.state, c.endReason])).toEqual([
      [talk.id, 'ended', 'hung up'],
      [busy.id, 'ended', 'busy (486)'],
      [incoming, 'ended', 'declined (603)'],
    ]);
    await first.calls.closeAll();
    // exactly one write per call, each with the call as it ended
    expect(first.saves.map((c) => [c.id, c.state])).toEqual(before.map((c) => [c.id, 'ended']));
    await first.storage.close();

    const second = await start(path, 'run2');
    const after = await second.list();
    // what the renderer shows (calls-slice sorts newest first) reads the same as before the restart
    const shown = (calls: readonly CallDto[]) =>
      [...calls].sort((a, b) => b.startedAt - a.startedAt || a.id.localeCompare(b.id))
        .map((c) => ({ id: c.id, direction: c.direction, peer: c.peer, peerName: c.peerName, state: c.state, startedAt: c.startedAt, connectedAt: c.connectedAt, endedAt: c.endedAt, endReason: c.endReason, codec: c.codec, encrypted: c.encrypted }));
    expect(shown(after)).toEqual(shown(before));
    expect(after.find((c) => c.id === talk.id)?.connectedAt).not.toBeNull();
    expect(after.find((c) => c.id === incoming)).toMatchObject({ direction: 'in', peer: 'sip:bob@example.test', peerName: 'Bob' });

    // a call of the new run comes first (live), the stored history follows, nothing twice
    const next = await second.calls.place(null, 'dave@example.test');
    const live = await second.list();
    expect(live.map((c) => c.id)).toEqual([next.id, ...after.map((c) => c.id)]);
    expect(second.saves).toEqual([]);
    await second.calls.closeAll();
    await second.storage.close();
  });
});
