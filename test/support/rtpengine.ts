/**
 * Starts Debian's rtpengine (userspace forwarding only: `--table=-1`, no kernel module) on 127.0.0.1 as a
 * media relay for Kamailio's rtpengine module: the ng control protocol (bencode over UDP) on `ngPort`,
 * RTP/RTCP ports from `portMin`..`portMax` (a private range per test), the log in `runDir/rtpengine.log`.
 * Resolves once this very process owns the ng UDP port (port-owner.ts). `stop()` ends that one process by
 * PID and removes the run dir. When the binary is missing the promise rejects (the test fails, never skips).
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PEER_BINARIES } from './peer-binaries.ts';
import { socketInodesOnPort, waitForPortOwnedBy } from './port-owner.ts';
import { watchExit } from './child-exit.ts';

export interface RtpengineOptions {
  readonly ngPort: number;
  readonly portMin: number;
  readonly portMax: number;
}

export interface RunningRtpengine {
  readonly pid: number;
  readonly ngPort: number;
  readonly portMin: number;
  readonly portMax: number;
  log(): string;
  stop(): Promise<void>;
}

export async function startRtpengine(o: RtpengineOptions): Promise<RunningRtpengine> {
  const bin = PEER_BINARIES.rtpengine;
  if (!existsSync(bin)) throw new Error(`rtpengine not found at ${bin} (Debian package rtpengine)`);
  if (socketInodesOnPort('udp', o.ngPort).size > 0) throw new Error(`port ${String(o.ngPort)} is already in use`);
  const runDir = mkdtempSync(join(tmpdir(), 'rtpengine-run-'));
  const logPath = join(runDir, 'rtpengine.log');
  const args = [
    '--config-file=none', // never read /etc/rtpengine/rtpengine.conf
    '--table=-1', // no kernel forwarding: userspace only
    '--interface=127.0.0.1',
    `--listen-ng=127.0.0.1:${String(o.ngPort)}`,
    `--port-min=${String(o.portMin)}`,
    `--port-max=${String(o.portMax)}`,
    '--foreground',
    '--log-stderr',
    '--log-level=6',
    `--pidfile=${join(runDir, 'rtpengine.pid')}`,
  ];
  const logFd = openSync(logPath, 'w');
  const child = spawn(bin, args, { stdio: ['ignore', logFd, logFd], cwd: runDir });
  closeSync(logFd);
  const end = watchExit(child);
  const log = (): string => (existsSync(logPath) ? readFileSync(logPath, 'utf8') : '');
  const stop = async (): Promise<void> => {
    await end.terminate();
    rmSync(runDir, { recursive: true, force: true });
  };
  try {
    if (child.pid === undefined) throw new Error('rtpengine did not start');
    await waitForPortOwnedBy(child.pid, ['udp'], o.ngPort, { exited: () => end.exited(), timeoutMs: 15_000 });
  } catch (err) {
    const tail = log().split('\n').slice(-20).join('\n');
    await stop();
    throw new Error(`${err instanceof Error ? err.message : String(err)}\n${tail}`, { cause: err });
  }
  return { pid: child.pid, ngPort: o.ngPort, portMin: o.portMin, portMax: o.portMax, log, stop };
}

/** start on a random free ng port in [base, base+span) with a 100-port media range above it; a few tries */
export async function startRtpengineOnFreePorts(base: number, span: number): Promise<RunningRtpengine> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 4; attempt++) {
    const ngPort = base + Math.floor(Math.random() * span);
    const portMin = base + span + 100 * Math.floor(Math.random() * 10);
    try {
      return await startRtpengine({ ngPort, portMin, portMax: portMin + 99 });
    } catch (err) {
      lastError = err;
    }
  }
  throw lastError instanceof Error ? lastError : new Error(String(lastError));
}
