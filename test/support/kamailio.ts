/**
 * Starts the peer-lab Kamailio (registrar + proxy for `example.test`, see test/fixtures/kamailio/) on
 * 127.0.0.1 in its own temp run dir: a fresh copy of the config and db_text tables, a self-signed TLS
 * certificate for example.test / 127.0.0.1, the log in `runDir/kamailio.log`. Resolves once the TCP SIP
 * port accepts connections. `stop()` ends that one process by PID and removes the run dir.
 *
 * When the binary is missing the promise rejects (a test needing Kamailio fails, it never skips).
 */
import { spawn } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { closeSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { portOwnedBy, socketInodesOnPort } from './port-owner.ts';
import { processTree, signalTree } from './process-tree.ts';
import { makeSelfSignedCert } from './tls-cert.ts';
import { watchExit } from './child-exit.ts';

export const KAMAILIO_BIN = process.env.KAMAILIO_BIN ?? '/usr/sbin/kamailio';
const fixtures = fileURLToPath(new URL('../fixtures/kamailio/', import.meta.url));

export interface KamailioOptions {
  readonly sipPort: number;
  /** TLS listening port; omit to run without TLS */
  readonly tlsPort?: number;
  readonly ip?: string;
  readonly shmMb?: number;
  /**
   * A second UDP port on which Kamailio is the "inner" of two record-routing hops for INVITE/SUBSCRIBE
   * dialogs (see WITH_SECOND_HOP in the config): the route set then holds two entries.
   */
  readonly secondHopPort?: number;
  /**
   * presence server for Event: presence (WITH_PRESENCE: modules presence + presence_xml); `ua-notifier`:
   * PUBLISH still lands there, but SUBSCRIBEs go to the presentity's registered UA (WITH_UA_NOTIFIER);
   * `xcap`: watchers authorized by the presentity's pres-rules (RFC 5025) on the XCAP server at
   * http://ip:sipPort/xcap-root/ (WITH_XCAP), pending until a rule allows them
   */
  readonly presence?: boolean | 'ua-notifier' | 'xcap';
  /** the ng control port of an rtpengine on `ip` (WITH_RTPENGINE): the caller's leg SRTP, the callee's RTP */
  readonly rtpengineNgPort?: number;
  /**
   * tm timers in ms (defaults Kamailio's 500 / 4000 / 5000): `t1`/`t2` of its retransmissions towards the
   * callee (retr_timer1/2), `wait` how long a finished transaction stays to absorb a retransmitted request
   * (wt_timer; RFC 3261 Timer J is 64*T1 on UDP)
   */
  readonly tm?: { readonly t1?: number; readonly t2?: number; readonly wait?: number };
}

export interface RunningKamailio {
  readonly runDir: string;
  /** PEM of the self-signed server certificate (empty when started without TLS) */
  readonly certPem: string;
  readonly certFingerprint256: string;
  readonly pid: number;
  log(): string;
  /** SIGSTOP to Kamailio and all its children: sockets stay open, nothing is answered (no ICMP) */
  freeze(): void;
  /** SIGCONT to all of them: what queued in the socket buffers is processed */
  thaw(): void;
  stop(): Promise<void>;
}

export function kamailioInstalled(): boolean {
  return existsSync(KAMAILIO_BIN);
}

export async function startKamailio(options: KamailioOptions): Promise<RunningKamailio> {
  if (!kamailioInstalled()) throw new Error(`kamailio not found at ${KAMAILIO_BIN}`);
  const ip = options.ip ?? '127.0.0.1';
  const runDir = mkdtempSync(join(tmpdir(), 'kamailio-run-'));
  const cfg = join(runDir, 'kamailio.cfg');
  copyFileSync(join(fixtures, 'kamailio.cfg'), cfg);
  mkdirSync(join(runDir, 'db'));
  for (const table of readdirSync(join(fixtures, 'db'))) copyFileSync(join(fixtures, 'db', table), join(runDir, 'db', table));

  const defs = [
    `LISTEN_IP=${ip}`,
    `SIP_PORT=${options.sipPort}`,
    `DBURL="text://${runDir}/db"`,
    `MSILO_PROXY="sip:${ip}:${options.sipPort};transport=udp"`,
    `CTL_SOCK="unix:${runDir}/kamailio_ctl"`,
  ];
  let certPem = '';
  let certFingerprint256 = '';
  if (options.tlsPort !== undefined) {
    const cert = makeSelfSignedCert({ commonName: 'example.test', dnsNames: ['example.test'], ipAddresses: [ip], days: 30 });
    mkdirSync(join(runDir, 'tls'));
    writeFileSync(join(runDir, 'tls', 'cert.pem'), cert.certPem);
    writeFileSync(join(runDir, 'tls', 'key.pem'), cert.keyPem);
    certPem = cert.certPem;
    certFingerprint256 = new X509Certificate(certPem).fingerprint256;
    defs.push('WITH_TLS', `TLS_PORT=${options.tlsPort}`, `TLS_CERT="${runDir}/tls/cert.pem"`, `TLS_KEY="${runDir}/tls/key.pem"`);
  }
  if (options.secondHopPort !== undefined) {
    const second = options.secondHopPort;
    defs.push(
      'WITH_SECOND_HOP',
      `SECOND_PORT=${second}`,
      `SECOND_HOP_URI="sip:${ip}:${second};transport=udp"`,
      `OUTER_RR="${ip}:${options.sipPort};hop=outer"`,
      `INNER_RR="${ip}:${second};hop=inner"`,
    );
  }
  if (options.presence !== undefined && options.presence !== false) defs.push('WITH_PRESENCE', `PRES_SERVER="sip:${ip}:${options.sipPort}"`);
  if (options.presence === 'ua-notifier') defs.push('WITH_UA_NOTIFIER');
  if (options.presence === 'xcap') defs.push('WITH_XCAP');
  if (options.rtpengineNgPort !== undefined) defs.push('WITH_RTPENGINE', `RTPENGINE_SOCK="udp:${ip}:${String(options.rtpengineNgPort)}"`);
  if (options.tm?.t1 !== undefined) defs.push(`TM_T1=${String(options.tm.t1)}`);
  if (options.tm?.t2 !== undefined) defs.push(`TM_T2=${String(options.tm.t2)}`);
  if (options.tm?.wait !== undefined) defs.push(`TM_WAIT=${String(options.tm.wait)}`);
  const args = ['-f', cfg, '-DD', '-E', '-m', String(options.shmMb ?? 64), '-M', '16', '-Y', runDir, '-w', runDir];
  for (const d of defs) args.push('-A', d);

  // a port someone else holds (a stray worker of an earlier run, any other program) is not ours to use:
  // the caller picks another (startKamailioOnFreePorts)
  for (const port of [options.sipPort, options.tlsPort, options.secondHopPort]) {
    if (port !== undefined && (socketInodesOnPort('udp', port).size > 0 || socketInodesOnPort('tcp', port).size > 0)) {
      rmSync(runDir, { recursive: true, force: true });
      throw new Error(`port ${String(port)} is already in use`);
    }
  }
  const logPath = join(runDir, 'kamailio.log');
  const logFd = openSync(logPath, 'w');
  const child = spawn(KAMAILIO_BIN, args, { stdio: ['ignore', logFd, logFd], cwd: runDir });
  closeSync(logFd);
  const end = watchExit(child);
  const log = (): string => (existsSync(logPath) ? readFileSync(logPath, 'utf8') : '');
  const freeze = (): void => {
    if (!end.exited() && child.pid !== undefined) signalTree(child.pid, 'SIGSTOP');
  };
  const thaw = (): void => {
    if (!end.exited() && child.pid !== undefined) signalTree(child.pid, 'SIGCONT');
  };
  const stop = async (): Promise<void> => {
    if (!end.exited() && child.pid !== undefined) {
      thaw(); // a frozen Kamailio cannot handle SIGTERM
      // its workers share the listening sockets: one left behind (main killed before it reaped them) would
      // keep the port bound, silent, for the next test on that port (no ICMP, no answer)
      const workers = processTree(child.pid).filter((pid) => pid !== child.pid);
      await end.terminate();
      for (const pid of workers) killIfOurs(pid, runDir);
      const freeBy = Date.now() + 5_000;
      while (Date.now() < freeBy && (socketInodesOnPort('udp', options.sipPort).size > 0 || socketInodesOnPort('tcp', options.sipPort).size > 0)) {
        await new Promise((r) => setTimeout(r, 20));
      }
    }
    rmSync(runDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 15_000;
  for (;;) {
    if (end.exited()) {
      const tail = log().split('\n').slice(-20).join('\n');
      rmSync(runDir, { recursive: true, force: true });
      throw new Error(`kamailio exited during start:\n${tail}`);
    }
    // ready = Kamailio's own processes hold the UDP and TCP sockets on the port (not just any listener)
    if (
      child.pid !== undefined &&
      portOwnedBy(child.pid, 'udp', options.sipPort) &&
      portOwnedBy(child.pid, 'tcp', options.sipPort) &&
      (options.secondHopPort === undefined || portOwnedBy(child.pid, 'udp', options.secondHopPort))
    ) {
      break;
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error('kamailio did not start listening within 15 s');
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { runDir, certPem, certFingerprint256, pid: child.pid ?? -1, log, freeze, thaw, stop };
}

/** SIGKILL `pid` if it is still a Kamailio of this run (its command line names the run dir): never another process */
function killIfOurs(pid: number, runDir: string): void {
  try {
    if (!readFileSync(`/proc/${String(pid)}/cmdline`, 'utf8').includes(runDir)) return;
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}
