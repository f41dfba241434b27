/**
 * Nothing answered is lost: a process receiving MESSAGEs through the group commit is SIGKILLed mid-burst
 * (no close, no flush); every message it had answered 200 MUST be in the database when it is reopened
 * (RFC 3428 §7: the 200 is sent only after the commit that stores the message).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openStorage } from '../../../main/storage/storage.ts';
import { tempDir } from './fixtures.ts';

const dir = tempDir();
afterAll(() => dir.remove());

const CHILD = fileURLToPath(new URL('../../support/commit-crash-child.ts', import.meta.url));
/** answers to see before the kill: enough for many batches */
const BEFORE_KILL = 3000;

describe('group commit crash safety', () => {
  it('every MESSAGE answered 200 before a SIGKILL MUST be stored after restart', async () => {
    const file = dir.file('crash.db');
    const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', CHILD, file], { stdio: ['ignore', 'pipe', 'pipe'] });
    const answered: string[] = [];
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    let partial = '';
    const killed = new Promise<void>((resolve, reject) => {
      child.on('exit', () => resolve());
      child.on('error', reject);
      child.stdout.on('data', (d: Buffer) => {
        const lines = (partial + d.toString()).split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) if (line.startsWith('200 ')) answered.push(line.slice(4));
        if (answered.length >= BEFORE_KILL && child.exitCode === null && child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
      });
    });
    await killed;
    expect(answered.length, stderr).toBeGreaterThanOrEqual(BEFORE_KILL);

    const storage = await openStorage(file);
    try {
      const stored = new Set<string>();
      for (const c of await storage.listConversations()) {
        let cursor: string | null = null;
        do {
          const page = await storage.pageMessages(c.id, cursor, 1000);
          for (const m of page.messages) stored.add(m.body);
          cursor = page.nextCursor;
        } while (cursor !== null);
      }
      const lost = answered.filter((b) => !stored.has(b));
      console.info(`group-commit crash: ${String(answered.length)} answered 200 before SIGKILL, ${String(stored.size)} stored, ${String(lost.length)} lost`);
      expect(lost).toEqual([]);
      // nothing stored twice, nothing invented
      expect(stored.size).toBeGreaterThanOrEqual(answered.length);
    } finally {
      await storage.close();
    }
  }, 120_000);
});
