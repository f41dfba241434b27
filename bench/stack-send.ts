/**
 * bench:stack, part 2 — sending to one destination through Kamailio (not a benchmark file).
 *
 * Our whole app (createAppServices, in this process) registers alice with the test Kamailio and sends
 * MESSAGEs to bob, whose contact is a sipp UAS answering 200. RFC 3428 §8 allows one MESSAGE in flight
 * per destination over UDP, so the best possible rate is 1/RTT; the RTT is measured over the same proxy
 * path in the same run by a minimal UDP client (authenticated MESSAGE → 200, one at a time). Printed: our rate and its
 * fraction of 1/RTT (1.00 = no time lost between one answer and the next request).
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { fileURLToPath } from 'node:url';
import { startKamailio, type RunningKamailio } from '../test/support/kamailio.ts';
import type { MessageDto } from '#shared/domain/chat.ts';
import { accountInput, isFinal, send, startApp, waitRegistered, type App } from '../test/support/app-process-kit.ts';
import { SIPP, tempDir } from './stack-peers.ts';

const SENT = 400;
const PROBES = 300;

function sipp(args: string[], cwd: string, timeoutSeconds: number): Promise<string> {
  const child = spawn(SIPP, ['-i', '127.0.0.1', '-nostdin', '-timeout', String(timeoutSeconds), '-timeout_error', ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve) => child.on('exit', () => resolve(out)));
}

/**
 * The round trip of one MESSAGE through the proxy to bob and back, as a minimal UDP client sees it:
 * alice's MESSAGE with digest credentials (RFC 2617, qop=auth, the nonce of one 407 reused with a rising
 * nc — what a UA with cached credentials sends), one at a time; the median in ms (µs resolution).
 */
async function probeRttMs(proxyPort: number, count: number): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', () => r()));
  const local = socket.address().port;
  const waiters: ((text: string) => void)[] = [];
  socket.on('message', (d: Buffer) => {
    const text = d.toString('latin1');
    if (/^SIP\/2\.0 1\d\d /.test(text)) return;
    waiters.shift()?.(text);
  });
  const ask = (text: string): Promise<string> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('RTT probe: no answer in 5 s')), 5000);
      waiters.push((t) => {
        clearTimeout(timer);
        resolve(t);
      });
      socket.send(text, proxyPort, '127.0.0.1');
    });
  const uri = 'sip:bob@example.test';
  const request = (n: number, auth: string): string =>
    `MESSAGE ${uri} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:${String(local)};branch=z9hG4bK-rtt-${String(n)}-${String(Date.now())}\r\n` +
    `Max-Forwards: 70\r\nFrom: <sip:alice@example.test>;tag=rtt${String(n)}\r\nTo: <${uri}>\r\nCall-ID: rtt-${String(n)}-${String(local)}@127.0.0.1\r\n` +
    `CSeq: ${String(n)} MESSAGE\r\n${auth}Content-Type: text/plain\r\nContent-Length: 9\r\n\r\nrtt probe`;
  const md5 = (s: string): string => createHash('md5').update(s).digest('hex');
  try {
    const challenge = await ask(request(1, ''));
    const header = challenge.split('\r\n').find((l) => /^Proxy-Authenticate:/i.test(l)) ?? '';
    const realm = /realm="([^"]*)"/.exec(header)?.[1];
    const nonce = /nonce="([^"]*)"/.exec(header)?.[1];
    if (realm === undefined || nonce === undefined) throw new Error(`RTT probe: no digest challenge:\n${challenge}`);
    const ha1 = md5(`alice:${realm}:alice-secret`);
    const ha2 = md5(`MESSAGE:${uri}`);
    const times: number[] = [];
    for (let i = 1; i <= count; i++) {
      const nc = i.toString(16).padStart(8, '0');
      const cnonce = `c${String(i)}`;
      const response = md5(`${ha1}:${nonce}:${nc}:${cnonce}:auth:${ha2}`);
      const auth = `Proxy-Authorization: Digest username="alice", realm="${realm}", nonce="${nonce}", uri="${uri}", response="${response}", algorithm=MD5, qop=auth, nc=${nc}, cnonce="${cnonce}"\r\n`;
      const t0 = performance.now();
      const answer = await ask(request(i + 1, auth));
      const t = performance.now() - t0;
      if (!answer.startsWith('SIP/2.0 200 ')) throw new Error(`RTT probe: ${answer.split('\r\n')[0] ?? ''}`);
      times.push(t);
    }
    times.sort((a, b) => a - b);
    return times[Math.floor(times.length / 2)] ?? NaN;
  } finally {
    socket.close();
  }
}

async function startKamailioSomewhere(): Promise<{ kamailio: RunningKamailio; sipPort: number }> {
  let last: unknown;
  for (let i = 0; i < 4; i++) {
    const sipPort = 27_000 + 2 * Math.floor(Math.random() * 400);
    try {
      return { kamailio: await startKamailio({ sipPort, shmMb: 128 }), sipPort };
    } catch (e) {
      last = e;
    }
  }
  throw last instanceof Error ? last : new Error(String(last));
}

export interface SendingFigures {
  readonly rate: number;
  readonly rttMs: number;
  readonly fraction: number;
  /** CPU time of this process (main thread + storage worker) per message sent, µs */
  readonly cpuMicrosPerMessage: number;
}

export async function measureSending(log: (line: string) => void): Promise<SendingFigures> {
  const cwd = tempDir('send');
  const { kamailio, sipPort } = await startKamailioSomewhere();
  const proxy = `127.0.0.1:${String(sipPort)}`;
  const uasPort = 28_000 + Math.floor(Math.random() * 900);
  const uas = spawn(SIPP, ['-i', '127.0.0.1', '-nostdin', '-sf', fileURLToPath(new URL('./sipp/uas-200.xml', import.meta.url)), '-p', String(uasPort), '-m', String(SENT + 2 * PROBES + 10), '-timeout', '120'], { cwd, stdio: 'ignore' });
  let app: App | null = null;
  try {
    const registered = await sipp(
      ['-sf', fileURLToPath(new URL('../test/fixtures/sipp/register.xml', import.meta.url)), '-s', 'bob', '-au', 'bob', '-ap', 'bob-secret', '-key', 'contact_port', String(uasPort), '-key', 'expires', '300', '-m', '1', proxy],
      cwd,
      20,
    );
    if (!/Successful call\s*\|\s*\d+\s*\|\s*1\s*$/m.test(registered)) throw new Error(`bob's REGISTER failed:\n${registered.slice(-1500)}`);

    const rttBefore = await probeRttMs(sipPort, PROBES);

    app = await startApp();
    const account = await app.call('accounts:save', accountInput({ user: 'alice', sipPort }));
    await waitRegistered(app, account.id);
    // what has reached a final state, kept from the events as they come (no polling: the bench shares
    // the app's event loop, and scanning the event log every few ms would slow the very thing measured)
    const final = new Map<string, MessageDto>();
    let wake: (() => void) | null = null;
    const unsubscribe = app.services.events.on('chats:message-changed', (m) => {
      if (!isFinal(m)) return;
      final.set(m.id, m);
      wake?.();
    });
    const until = async (ready: () => boolean, what: string, ms: number): Promise<void> => {
      let late = false;
      const timer = setTimeout(() => {
        late = true;
        wake?.();
      }, ms);
      try {
        while (!ready()) {
          if (late) throw new Error(`${what} did not finish within ${String(ms / 1000)} s`);
          await new Promise<void>((r) => (wake = r));
        }
      } finally {
        clearTimeout(timer);
        wake = null;
      }
    };
    // first message: the 407 round trip and credentials cache, not counted
    const [first] = await send(app, 'sip:bob@example.test', 'warm-up');
    if (first !== undefined) await until(() => final.has(first.id), 'the warm-up message', 20_000);

    const started = performance.now();
    const cpu0 = process.cpuUsage();
    const ids: string[] = [];
    for (let i = 0; i < SENT; i++) for (const m of await send(app, 'sip:bob@example.test', `bench send ${String(i)}`)) ids.push(m.id);
    const queuedSeconds = (performance.now() - started) / 1000;
    await until(() => ids.every((id) => final.has(id)), 'sending', 60_000);
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpu0);
    // the RTT again right after: a shared machine's load drifts; the mean of both medians brackets our run
    const rttAfter = await probeRttMs(sipPort, PROBES);
    const rttMs = (rttBefore + rttAfter) / 2;
    unsubscribe();
    const delivered = ids.filter((id) => final.get(id)?.state === 'delivered').length;
    const rate = SENT / seconds;
    log(`  RTT (a minimal UDP client, authenticated MESSAGE → 200 through Kamailio to bob, median of ${String(PROBES)} one at a time, before/after our run): ${rttBefore.toFixed(3)} / ${rttAfter.toFixed(3)} ms`);
    const cpuMicrosPerMessage = (cpu.user + cpu.system) / SENT;
    log(`  ours: ${String(SENT)} MESSAGEs queued at once to one destination, ${String(delivered)} delivered in ${seconds.toFixed(2)} s = ${rate.toFixed(0)}/s (the last queued after ${queuedSeconds.toFixed(2)} s), ${cpuMicrosPerMessage.toFixed(0)} µs CPU per MESSAGE (all threads)`);
    return { rate, rttMs, fraction: rate * (rttMs / 1000), cpuMicrosPerMessage };
  } finally {
    await app?.services.dispose();
    if (uas.pid !== undefined && uas.exitCode === null) process.kill(uas.pid, 'SIGTERM');
    await kamailio.stop();
  }
}
