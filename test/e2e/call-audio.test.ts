/**
 * Issue 6, end to end: the call audio path. The renderer in Chromium (test host over the real main
 * services) is alice; its microphone is Chromium's fake capture device playing a 440 Hz WAV. Bob is a
 * second app instance in this process whose audio device records what it hears and says a 1000 Hz tone.
 * Both register to a real Kamailio; alice places the call from the UI, bob answers.
 *   alice: mic → getUserMedia → 'call-mic' worklet (48 kHz → 16 kHz, 20 ms frames) → audio socket → main
 *          → RTP/G.722 → Kamailio-routed call → bob's media → bob's recorder: MUST be 440 Hz, not silence.
 * Both are the app, so the call is G.722 (issue 13) and the audio between page and main is 16 kHz.
 *   bob:   1000 Hz frames → RTP → alice's main → audio socket → 'call-playout' worklet: MUST play sound.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { CallAudioPort } from '../../main/services/calls/index.ts';
import { startHost, type Host } from '../host/server.ts';
import type { CallAudioStats } from '../host/audio-link.ts';
import { startApp, waitRegistered, type App } from '../support/app-process-kit.ts';
import { startKamailioOnFreePorts } from '../integration/register-kit.ts';
import { launchChromium, openPage, saveScreenshot, type E2eBrowser, type PageProblems } from '../support/e2e.ts';
import { labAccount } from '../support/e2e-peer.ts';
import type { RunningKamailio } from '../support/kamailio.ts';
import { waitFor } from '../support/peers.ts';
import { goertzel } from '../unit/renderer/audio-signal.ts';

/** 16-bit PCM mono WAV of a sine (the format Chromium's --use-file-for-fake-audio-capture reads) */
function sineWav(frequency: number, rate: number, seconds: number, amplitude = 0.4): Buffer {
  const count = rate * seconds;
  const wav = Buffer.alloc(44 + count * 2);
  wav.write('RIFF', 0, 'ascii');
  wav.writeUInt32LE(36 + count * 2, 4);
  wav.write('WAVEfmt ', 8, 'ascii');
  wav.writeUInt32LE(16, 16);
  wav.writeUInt16LE(1, 20); // PCM
  wav.writeUInt16LE(1, 22); // mono
  wav.writeUInt32LE(rate, 24);
  wav.writeUInt32LE(rate * 2, 28);
  wav.writeUInt16LE(2, 32);
  wav.writeUInt16LE(16, 34);
  wav.write('data', 36, 'ascii');
  wav.writeUInt32LE(count * 2, 40);
  for (let i = 0; i < count; i++) wav.writeInt16LE(Math.round(amplitude * 32767 * Math.sin((2 * Math.PI * frequency * i) / rate)), 44 + 2 * i);
  return wav;
}

/** bob's audio device: records every frame it is given to play, and speaks a tone while a call is up */
function toneAndRecorder(frequency: number): { port: CallAudioPort; heard: Int16Array[] } {
  const heard: Int16Array[] = [];
  const port: CallAudioPort = {
    open(_callId, push) {
      let n = 0;
      const timer = setInterval(() => {
        // the app's audio port: 20 ms frames at 16 kHz
        const frame = new Int16Array(320);
        for (let i = 0; i < 320; i++, n++) frame[i] = Math.round(8000 * Math.sin((2 * Math.PI * frequency * n) / 16000));
        push(frame);
      }, 20);
      return { play: (pcm) => void heard.push(pcm), close: () => clearInterval(timer) };
    },
  };
  return { port, heard };
}

const concat = (frames: readonly Int16Array[]): Float32Array => {
  const out = new Float32Array(frames.length * 320);
  frames.forEach((f, i) => out.set(Array.from(f, (s) => s / 32768), i * 320));
  return out;
};

describe('issue 6: call audio between the page (Chromium, fake 440 Hz microphone) and a second app through Kamailio', () => {
  let kamailio: RunningKamailio;
  let sipPort: number;
  let host: Host;
  let bob: App;
  const bobAudio = toneAndRecorder(1000);
  let browser: E2eBrowser;
  let page: Page;
  let problems: PageProblems;
  let wavDir: string;

  beforeAll(async () => {
    wavDir = await mkdtemp(join(tmpdir(), 'sipm-call-audio-'));
    const wav = join(wavDir, 'a440.wav');
    await writeFile(wav, sineWav(440, 48_000, 5));
    ({ kamailio, sipPort } = await startKamailioOnFreePorts(27600, 200));
    host = await startHost({ sip: { bindAddress: '127.0.0.1' } });
    const alice = await host.services.handlers['accounts:save'](labAccount('alice', sipPort));
    bob = await startApp({ audio: bobAudio.port });
    const bobAccount = await bob.call('accounts:save', labAccount('bob', sipPort));
    await waitRegistered(bob, bobAccount.id);
    await waitFor(() => host.services.sip.listRegistrations().some((r) => r.accountId === alice.id && r.registration.state === 'registered'), 'alice registered', 15_000);
    browser = await launchChromium({
      args: ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-audio-capture=${wav}`, '--autoplay-policy=no-user-gesture-required'],
    });
    ({ page, problems } = await openPage(browser, host.url));
  });
  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    await bob?.services.dispose();
    await kamailio?.stop();
    if (wavDir) await rm(wavDir, { recursive: true, force: true });
  });

  it('alice calls from the UI, bob answers: bob hears alice\'s 440 Hz microphone and the page plays bob\'s tone', async () => {
    // bob writes first: for alice he is an unknown sender (checked at the end of this test)
    const toAlice = await bob.call('chats:open-conversation', { accountId: null, peer: 'sip:alice@example.test' });
    await bob.call('chats:send-message', { conversationId: toAlice.id, body: 'hi alice, call me?', expiresInSeconds: null, oversize: null });
    // a message request (issue 10): counted beside the list, not shown in it, never notified
    await page.getByRole('button', { name: /^Message requests, 1 waiting/ }).waitFor({ timeout: 10_000 });

    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Calls' }).click();
    await page.getByRole('textbox', { name: 'Number or SIP address to call' }).fill('sip:bob@example.test');
    await page.getByRole('button', { name: 'Call', exact: true }).click();
    await waitFor(() => bob.of('calls:call-changed').some((c) => c.state === 'incoming'), 'incoming call at bob', 10_000);
    const incoming = bob.of('calls:call-changed').find((c) => c.state === 'incoming');
    await bob.call('calls:answer', { callId: incoming!.id });
    const answeredAt = bobAudio.heard.length;

    // two seconds of sound from alice's microphone at bob (after the pipeline fills)
    const sound = () => bobAudio.heard.slice(answeredAt).filter((f) => Math.hypot(...f) / Math.sqrt(f.length) > 300);
    await waitFor(() => sound().length >= 100, 'two seconds of sound at bob', 15_000);
    const heard = concat(sound().slice(-100));
    expect(bobAudio.heard.every((f) => f.length === 320)).toBe(true);
    const at440 = goertzel(heard, 440, 16000);
    const at1000 = goertzel(heard, 1000, 16000);
    console.log(`bob hears: 440 Hz amplitude ${at440.toFixed(3)}, 1000 Hz ${at1000.toFixed(4)}`);
    expect(at440).toBeGreaterThan(0.05);
    expect(at440).toBeGreaterThan(20 * at1000);

    // the page received bob's tone and its playout worklet played it
    const stats = async () => page.evaluate(() => Object.values((Reflect.get(window, '__callAudioStats') ?? {}) as Record<string, CallAudioStats>)[0] ?? null);
    let last: CallAudioStats | null = null;
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      last = await stats();
      if (last !== null && last.receivedSoundFrames >= 50 && (last.playout?.playedSamples ?? 0) >= 16_000) break;
      await page.waitForTimeout(200);
    }
    console.log(`page audio: ${JSON.stringify(last)}`);
    expect(last?.sentSoundFrames).toBeGreaterThanOrEqual(100);
    expect(last?.receivedSoundFrames).toBeGreaterThanOrEqual(50);
    // a second of the far end played (16 kHz samples)
    expect(last?.playout?.playedSamples).toBeGreaterThanOrEqual(16_000);
    expect(last?.playout?.playedRms).toBeGreaterThan(1000);
    // both ends are the app: G.722 wideband, and the call screen says so
    expect(bob.of('calls:call-changed').filter((c) => c.id === incoming!.id).at(-1)).toMatchObject({ codec: 'G.722', wideband: true });
    await page.getByLabel('HD voice, G.722').waitFor({ timeout: 10_000 });
    await saveScreenshot(page, 'issue6-call-audio');

    // in-call chat (RFC 3428 §2): typed in the call screen, it goes inside the call's dialog
    const callChat = page.getByRole('complementary', { name: 'In-call chat' });
    await callChat.getByRole('textbox', { name: 'Message text' }).fill('sharing the agenda now');
    await callChat.getByRole('textbox', { name: 'Message text' }).press('Enter');
    await waitFor(() => bob.of('chats:message-received').some((m) => m.body === 'sharing the agenda now' && m.callId === incoming!.id), 'in-call message at bob', 10_000);
    await bob.call('calls:send-message', { callId: incoming!.id, body: 'got it, thanks' });
    await callChat.getByText('got it, thanks').waitFor({ timeout: 10_000 });
    await callChat.getByText('sharing the agenda now').waitFor();
    await saveScreenshot(page, 'issue7-call-with-chat');

    await page.getByRole('button', { name: 'Hang up' }).click();
    await waitFor(() => bob.of('calls:call-changed').some((c) => c.id === incoming!.id && c.state === 'ended'), 'bob sees the end', 10_000);

    // the conversation bob started is from an unknown sender: a message request (issue 10); accepting adds him
    await page.getByRole('region', { name: 'Conversations' }).getByRole('button', { name: /^Message requests, 1 waiting/ }).click();
    await page.getByRole('button', { name: /^Message request from .*sip:bob@example\.test$/ }).click();
    await page.getByRole('region', { name: 'Message request', exact: true }).getByRole('button', { name: 'Accept' }).click();
    await page.getByRole('dialog', { name: 'Add to contacts' }).getByRole('button', { name: 'Save' }).click();
    await page.getByRole('region', { name: 'Message request', exact: true }).waitFor({ state: 'detached', timeout: 10_000 });
    const contacts = await host.services.handlers['contacts:list'](null);
    expect(contacts.map((c) => c.address)).toContain('sip:bob@example.test');
    expect(problems.pageErrors).toEqual([]);
    expect(await problems.cspViolations()).toEqual([]);
  });
});
