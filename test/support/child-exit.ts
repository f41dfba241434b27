/**
 * The end of a peer process the tests spawned: whether it has exited, and `terminate()` = SIGTERM, SIGKILL
 * after `graceMs` if it is still there, resolved once it has exited. By its own PID only, never by name.
 */
import type { ChildProcess } from 'node:child_process';

export interface ChildExit {
  exited(): boolean;
  terminate(graceMs?: number): Promise<void>;
}

export function watchExit(child: ChildProcess): ChildExit {
  let exited = false;
  const done = new Promise<void>((resolve) => {
    const end = (): void => {
      exited = true;
      resolve();
    };
    child.once('exit', end);
    child.once('error', end);
  });
  return {
    exited: () => exited,
    terminate: async (graceMs = 5_000) => {
      if (exited || child.pid === undefined) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await done;
      clearTimeout(timer);
    },
  };
}
