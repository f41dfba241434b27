/** A tshark capture on loopback (ours: started and stopped by its PID), for wire proofs. */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requirePeer } from './peers.ts';

export interface Capture {
  readonly file: string;
  /** stops the capture (SIGINT to our tshark) and resolves with the pcap bytes */
  stop(): Promise<Buffer>;
  /** the UDP payloads in the capture, with their ports */
  udpPayloads(): Promise<{ src: number; dst: number; payload: Buffer }[]>;
  remove(): void;
}

export async function startCapture(filter: string, timeoutMs = 20_000): Promise<Capture> {
  const bin = requirePeer('tshark');
  const dir = mkdtempSync(join(tmpdir(), 'sipm-pcap-'));
  const file = join(dir, 'wire.pcapng');
  const child = spawn(bin, ['-i', 'lo', '-f', filter, '-w', file, '-q'], { stdio: ['ignore', 'ignore', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    let err = '';
    const timer = setTimeout(() => reject(new Error(`tshark did not start: ${err}`)), timeoutMs);
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      if (err.includes('Capturing on')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`tshark exited (${String(code)}): ${err}`));
    });
  });
  let stopped: Promise<Buffer> | null = null;
  return {
    file,
    stop() {
      stopped ??= (async () => {
        if (child.pid !== undefined && child.exitCode === null) process.kill(child.pid, 'SIGINT');
        await exited;
        return readFileSync(file);
      })();
      return stopped;
    },
    udpPayloads: () =>
      new Promise((resolve, reject) => {
        execFile(bin, ['-r', file, '-Y', 'udp', '-T', 'fields', '-e', 'udp.srcport', '-e', 'udp.dstport', '-e', 'udp.payload'], { maxBuffer: 64 << 20 }, (e, out) => {
          if (e) return reject(e);
          resolve(
            out
              .split('\n')
              .filter((l) => l.trim() !== '')
              .map((l) => {
                const [src, dst, hex] = l.split('\t');
                return { src: Number(src), dst: Number(dst), payload: Buffer.from((hex ?? '').replace(/:/g, ''), 'hex') };
              }),
          );
        });
      }),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
