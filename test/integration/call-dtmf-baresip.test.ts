/**
 * DTMF received from a real far end (issue 13): we call baresip bob through Kamailio; keys typed on
 * baresip's keyboard during the call go out as RFC 4733 telephone-events, and our call shows them
 * (CallDto.dtmfReceived).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Baresip } from '../support/baresip.ts';
import { startBaresipOnFreePorts } from '../support/baresip-ports.ts';
import type { RunningKamailio } from '../support/kamailio.ts';
import { tempDir, waitFor } from '../support/peers.ts';
import { makeCallRig, writeToneWav, type CallRig } from './call-kit.ts';
import { join } from 'node:path';
import { startKamailioOnFreePorts } from './register-kit.ts';

let kamailio: RunningKamailio;
let bob: Baresip;
let alice: CallRig;
const dir = tempDir('call-dtmf');

beforeAll(async () => {
  const started = await startKamailioOnFreePorts(29_400, 100);
  kamailio = started.kamailio;
  // ports with retry on collision: ready once baresip's own PID owns them (baresip-ports.ts)
  bob = await startBaresipOnFreePorts(() => {
    const base = 29_500 + 2 * Math.floor(Math.random() * 50);
    return {
      user: 'bob', password: 'bob-secret', proxyPort: started.sipPort, sipPort: base, ctrlPort: base + 300, rtpPort: 34_000 + 100 * Math.floor(Math.random() * 10),
      contact: 'sip:alice@example.test', answerMode: 'auto', audioFile: writeToneWav(join(dir, 'bob.wav'), 600, 60),
    };
  });
  alice = await makeCallRig({ user: 'alice', password: 'alice-secret', sipPort: started.sipPort });
}, 40_000);

afterAll(async () => {
  await alice?.close().catch(() => undefined);
  await bob?.stop();
  await kamailio?.stop();
}, 30_000);

describe('DTMF from baresip (RFC 4733)', () => {
  it('keys pressed on baresip during the call are shown on our call, in order', async () => {
    const call = await alice.calls.place(null, 'sip:bob@example.test');
    await waitFor(() => alice.calls.get(call.id).state === 'connected', 'the call to connect', 10_000);
    for (const key of ['1', '5', '9', '#']) {
      bob.stdin(key);
      await waitFor(() => alice.calls.get(call.id).dtmfReceived.endsWith(key), `key ${key} received`, 5_000);
    }
    expect(alice.calls.get(call.id).dtmfReceived).toBe('159#');
    alice.calls.hangUp(call.id);
  }, 40_000);
});
