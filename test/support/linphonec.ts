/**
 * Starts linphonec (Debian's linphone-cli 5.1) as a registered user of the test Kamailio, in its own temp
 * HOME (linphone keeps its databases under $HOME/.local/share/linphone), shaped by the peer kit's notes:
 * stdin on a FIFO opened read-write (commands are written to it), output to a log file. Registration is
 * proven by linphonec's own `status register`. Stopped by PID only.
 */
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { watchExit } from './child-exit.ts';
import { requirePeer, tempDir, waitFor } from './peers.ts';

export interface LinphonecOptions {
  readonly user: 'carol' | 'alice' | 'bob';
  readonly password: string;
  /** Kamailio UDP port */
  readonly proxyPort: number;
  readonly sipPort: number;
  /** first RTP port of a block of 100 */
  readonly rtpPort: number;
  /** PUBLISH our presence (the proxy section's `publish`) */
  readonly publish?: boolean;
  /** friends (SIP URIs) it subscribes to from the start (`[friend_N]` sections, subscribe=1) */
  readonly friends?: readonly string[];
}

export interface Linphonec {
  readonly pid: number;
  readonly home: string;
  log(): string;
  /** one command line to linphonec's stdin */
  command(line: string): void;
  stop(): Promise<void>;
}

export async function startLinphonec(o: LinphonecOptions): Promise<Linphonec> {
  const bin = requirePeer('linphonec');
  const home = tempDir(`linphonec-${o.user}`);
  mkdirSync(join(home, '.local', 'share', 'linphone'), { recursive: true });
  const rc = join(home, 'linphonerc');
  const proxy = `127.0.0.1:${String(o.proxyPort)}`;
  writeFileSync(
    rc,
    [
      '[sip]',
      `sip_port=${String(o.sipPort)}`,
      'sip_tcp_port=-1',
      'sip_tls_port=-1',
      'bind_address=127.0.0.1',
      'guess_hostname=0',
      'ipv6=0',
      'default_proxy=0',
      // no GRUU (RFC 5627): with it linphonec's SUBSCRIBE Contact is sip:USER@example.test;gr=…, which
      // Kamailio's presence server cannot resolve when it sends the NOTIFY ("could not resolve example.test")
      'supported=replaces, outbound',
      '',
      '[net]',
      'firewall_policy=0',
      // liblinphone 5: friends are subscribed to only with the friend-list subscription on
      'friendlist_subscription_enabled=1',
      '',
      '[rtp]',
      `audio_rtp_port=${String(o.rtpPort)}-${String(o.rtpPort + 99)}`,
      '',
      '[sound]',
      'echocancellation=0',
      '',
      '[proxy_0]',
      `reg_proxy=<sip:${proxy};transport=udp>`,
      `reg_route=<sip:${proxy};transport=udp;lr>`,
      `reg_identity="${o.user}" <sip:${o.user}@example.test>`,
      'reg_expires=600',
      'reg_sendregister=1',
      `publish=${o.publish === true ? 1 : 0}`,
      '',
      '[auth_info_0]',
      `username=${o.user}`,
      `passwd=${o.password}`,
      'realm=example.test',
      'domain=example.test',
      '',
      ...(o.friends ?? []).flatMap((uri, i) => [`[friend_${String(i)}]`, `url=<${uri}>`, 'pol=accept', 'subscribe=1', '']),
    ].join('\n'),
  );
  const fifo = join(home, 'stdin');
  execFileSync('mkfifo', [fifo]);
  const logFile = join(home, 'linphonec.log');
  const child = spawn('/bin/sh', ['-c', `exec "$0" -c "$1" -a <>"$2" >"$3" 2>&1`, bin, rc, fifo, logFile], {
    cwd: home,
    env: { ...process.env, HOME: home },
    stdio: 'ignore',
  });
  if (child.pid === undefined) throw new Error('linphonec did not start');
  const pid = child.pid;
  const end = watchExit(child);
  const log = (): string => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : '');
  const command = (line: string): void => writeFileSync(fifo, `${line}\n`);
  const stop = (): Promise<void> => end.terminate(3_000);
  try {
    // its own `status register`, asked again until it says registered (each answer is a new line)
    const until = Date.now() + 15_000;
    const registered = new RegExp(`^registered, identity=.*sip:${o.user}@example\\.test`, 'm');
    while (!registered.test(log())) {
      if (child.exitCode !== null) throw new Error('linphonec exited');
      if (Date.now() > until) throw new Error('linphonec did not register within 15 s');
      command('status register');
      await waitFor(() => registered.test(log()) || child.exitCode !== null, 'linphonec status', 300).catch(() => undefined);
    }
  } catch (e) {
    await stop();
    throw new Error(`${(e as Error).message}\n${log()}`, { cause: e });
  }
  return { pid, home, log, command, stop };
}
