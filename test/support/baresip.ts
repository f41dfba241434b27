/**
 * Starts baresip (Debian's baresip-core) as a registered user of the test Kamailio, in its own temp folder,
 * shaped by what the peer kit showed works: stdin on a FIFO opened read-write (never EOF, never /dev/null),
 * audio from a WAV file, playback to ALSA's null device, ctrl_tcp for commands. Stopped by PID only.
 */
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { watchExit } from './child-exit.ts';
import { requirePeer, tempDir, waitFor } from './peers.ts';

export interface BaresipOptions {
  readonly user: 'alice' | 'bob' | 'carol';
  readonly password: string;
  /** Kamailio UDP/TCP port */
  readonly proxyPort: number;
  readonly sipPort: number;
  readonly ctrlPort: number;
  /** first RTP port of a block of 100 */
  readonly rtpPort: number;
  /** the contact baresip's `message` command sends to */
  readonly contact: string;
  readonly audioFile?: string;
  readonly answerMode?: 'auto' | 'manual';
  /** load the sndfile filter: what baresip decodes from us is written to `dir`/dump-*-dec.wav */
  readonly recordReceived?: boolean;
  /** audio codec modules, loaded (and offered) in this order; default g711 only */
  readonly codecs?: readonly ('g711' | 'g722')[];
  /** SRTP with SDES (baresip's srtp module): 'srtp-mand' = RTP/SAVP only */
  readonly mediaEncryption?: 'srtp' | 'srtp-mand';
  /**
   * baresip's presence module: PUBLISH of its own state every `publishIntervalS` (account `pubint`) and a
   * SUBSCRIBE to the contact (`;presence=p2p` on the contact); `presence_online` / `presence_offline` commands
   */
  readonly presence?: {
    readonly publishIntervalS: number;
    /**
     * load the module only when the test says `/insmod presence.so` (after registration): loaded at start,
     * baresip 1.0 publishes twice without an entity-tag (a 10 ms timer with status "unknown", then again on
     * registration) and can end up holding two publications at the server
     */
    readonly loadByCommand?: boolean;
  };
  /**
   * how baresip registers and is reached (default udp). Over TCP the proxy does not retransmit towards it
   * (RFC 3261 §17.1.2.2: Timer E on unreliable transports only); baresip answers a MESSAGE statelessly
   * (libre sip_reply, no server transaction), so over UDP it shows again a copy the proxy retransmits
   * because baresip answered later than T1.
   */
  readonly transport?: 'udp' | 'tcp';
}

export interface Baresip {
  readonly pid: number;
  readonly dir: string;
  log(): string;
  /** sends one ctrl_tcp command (netstring JSON) and returns the response JSON text */
  command(command: string, params?: string): Promise<string>;
  /** writes a line to baresip's stdin (menu commands start with '/') */
  stdin(line: string): void;
  stop(): Promise<void>;
}

export const DEFAULT_WAV = '/usr/share/baresip/callwaiting.wav';

export async function startBaresip(o: BaresipOptions): Promise<Baresip> {
  const bin = requirePeer('baresip');
  const dir = tempDir(`baresip-${o.user}`);
  const conf = join(dir, 'conf');
  mkdirSync(conf);
  writeFileSync(
    join(conf, 'config'),
    [
      'poll_method epoll',
      `sip_listen 127.0.0.1:${o.sipPort}`,
      'net_interface 127.0.0.1',
      'dns_server 127.0.0.1:53',
      'call_local_timeout 120',
      'call_max_calls 4',
      'audio_player alsa,null',
      'audio_alert alsa,null',
      `audio_source aufile,${o.audioFile ?? DEFAULT_WAV}`,
      `rtp_ports ${o.rtpPort}-${o.rtpPort + 99}`,
      'module_path /usr/lib/baresip/modules',
      'module stdio.so',
      ...(o.codecs ?? ['g711']).map((c) => `module ${c}.so`),
      'module aufile.so',
      'module alsa.so',
      ...(o.recordReceived === true ? ['module sndfile.so', `snd_path ${dir}`] : []),
      ...(o.mediaEncryption !== undefined ? ['module srtp.so'] : []),
      'module_tmp uuid.so',
      'module_tmp account.so',
      'module_app contact.so',
      'module_app menu.so',
      ...(o.presence !== undefined && o.presence.loadByCommand !== true ? ['module_app presence.so'] : []),
      'module_app ctrl_tcp.so',
      `ctrl_tcp_listen 127.0.0.1:${o.ctrlPort}`,
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(conf, 'accounts'),
    `<sip:${o.user}@example.test${o.transport === 'tcp' ? ';transport=tcp' : ''}>;auth_pass=${o.password};outbound="sip:127.0.0.1:${o.proxyPort}${o.transport === 'tcp' ? ';transport=tcp' : ''}";regint=600;answermode=${o.answerMode ?? 'auto'}${o.mediaEncryption !== undefined ? `;mediaenc=${o.mediaEncryption}` : ''}${o.presence !== undefined ? `;pubint=${String(o.presence.publishIntervalS)}` : ''}\n`,
  );
  writeFileSync(join(conf, 'contacts'), `"Peer" <${o.contact}>${o.presence !== undefined ? ';presence=p2p' : ''}\n`);
  const fifo = join(dir, 'stdin');
  execFileSync('mkfifo', [fifo]);
  const logFile = join(dir, 'baresip.log');
  // stdin opened read-write by the shell: baresip never sees EOF (see the peer kit's notes)
  const child = spawn('/bin/sh', ['-c', `exec "$0" -f "$1" <>"$2" >"$3" 2>&1`, bin, conf, fifo, logFile], {
    cwd: dir,
    stdio: 'ignore',
  });
  if (child.pid === undefined) throw new Error('baresip did not start');
  const pid = child.pid;
  const end = watchExit(child);
  const log = () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : '');
  try {
    await waitFor(() => new RegExp(`${o.user}@example.test: .* 200 OK`).test(log()) || child.exitCode !== null, `baresip ${o.user} to register`);
    if (child.exitCode !== null) throw new Error(`baresip exited:\n${log()}`);
  } catch (e) {
    if (child.exitCode === null) process.kill(pid, 'SIGTERM');
    throw new Error(`${(e as Error).message}\n${log()}`, { cause: e });
  }
  return {
    pid,
    dir,
    log,
    command: (command, params = '') => ctrlCommand(o.ctrlPort, command, params),
    stdin: (line) => writeFileSync(fifo, `${line}\n`),
    // a test may have killed it already (SIGKILL): nothing left to stop then
    stop: () => end.terminate(3_000),
  };
}

function ctrlCommand(port: number, command: string, params: string): Promise<string> {
  const json = JSON.stringify({ command, params, token: String(Date.now()) });
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let buf = Buffer.alloc(0);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`baresip ctrl_tcp: no answer to ${command}`));
    }, 5000);
    socket.on('connect', () => socket.write(`${Buffer.byteLength(json)}:${json},`));
    socket.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    socket.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      // netstrings: LEN:JSON, — events may come before the response
      for (;;) {
        const colon = buf.indexOf(0x3a);
        if (colon < 0) return;
        const len = Number(buf.subarray(0, colon).toString());
        if (buf.length < colon + 1 + len + 1) return;
        const body = buf.subarray(colon + 1, colon + 1 + len).toString();
        buf = buf.subarray(colon + 2 + len);
        if (body.includes('"response":true')) {
          clearTimeout(timer);
          socket.end();
          resolve(body);
          return;
        }
      }
    });
  });
}
