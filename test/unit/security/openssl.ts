/** Run Debian's `openssl` on files in a temporary directory (interop proof for S/MIME). */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface OpensslDir {
  path(name: string): string;
  write(name: string, data: Uint8Array | string): string;
  read(name: string): Uint8Array;
  run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  remove(): void;
}

export function opensslDir(): OpensslDir {
  const dir = mkdtempSync(join(tmpdir(), 'smime-'));
  return {
    path: (name) => join(dir, name),
    write: (name, data) => {
      writeFileSync(join(dir, name), data);
      return join(dir, name);
    },
    read: (name) => new Uint8Array(readFileSync(join(dir, name))),
    run: (args) =>
      new Promise((resolve) => {
        execFile('openssl', args, { cwd: dir, encoding: 'utf8' }, (err, stdout, stderr) => {
          const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
          resolve({ code, stdout, stderr });
        });
      }),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
