/**
 * Runs sipp (Debian's sip-tester) with a scenario from test/fixtures/sipp, bounded in time, on loopback.
 * Stopped by PID only.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { requirePeer } from './peers.ts';
import { waitForPortOwnedBy } from './port-owner.ts';

export const SIPP_SCENARIOS = fileURLToPath(new URL('../fixtures/sipp/', import.meta.url));

export interface SippRun {
  readonly pid: number;
  /** resolves when sipp exits (exit code 0 = scenario completed) */
  readonly done: Promise<{ code: number | null; stdout: string; stderr: string }>;
  stop(): void;
}

export interface SippOptions {
  /** scenario file name in test/fixtures/sipp or an absolute path */
  readonly scenario: string;
  readonly args: readonly string[];
  /** remote host:port (omitted for a UAS) */
  readonly remote?: string;
  readonly cwd: string;
  /** whole-run bound in seconds (sipp -timeout) */
  readonly timeoutSeconds?: number;
}

export function runSipp(options: SippOptions): SippRun {
  const bin = requirePeer('sipp');
  const scenario = options.scenario.startsWith('/') ? options.scenario : `${SIPP_SCENARIOS}${options.scenario}`;
  const args = [
    '-i', '127.0.0.1', '-nostdin', '-timeout', String(options.timeoutSeconds ?? 30), '-timeout_error',
    '-sf', scenario, ...options.args, ...(options.remote ? [options.remote] : []),
  ];
  const child = spawn(bin, args, { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
  if (child.pid === undefined) throw new Error('sipp did not start');
  const pid = child.pid;
  return {
    pid,
    done,
    stop: () => {
      if (child.exitCode === null) process.kill(pid, 'SIGTERM');
    },
  };
}

/**
 * Starts a sipp UAS on a port from `pickPort` and resolves once sipp's own PID owns that UDP port
 * (no guessed delay); a collision (sipp exits, or the port is someone else's) retries on another port.
 */
export async function runSippListening(make: (port: number) => SippOptions, pickPort: () => number, tries = 5): Promise<{ run: SippRun; port: number }> {
  for (let attempt = 1; ; attempt++) {
    const port = pickPort();
    const run = runSipp(make(port));
    let exited = false;
    void run.done.then(() => (exited = true));
    try {
      await waitForPortOwnedBy(run.pid, ['udp'], port, { exited: () => exited });
      return { run, port };
    } catch (e) {
      run.stop();
      await run.done;
      if (attempt >= tries) throw e;
    }
  }
}
