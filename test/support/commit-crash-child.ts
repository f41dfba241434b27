/**
 * Crash proof for the group commit (not a test file): receives an endless stream of MESSAGEs through
 * ChatService.receive into a file database and prints `200 <body>` for each one it answers 200 — what a
 * UAS would put on the wire. The parent SIGKILLs it mid-stream and checks that every printed 200 is in
 * the database (RFC 3428 §7: 200 only after storing).
 *
 *   node test/support/commit-crash-child.ts <database file>
 */
import { ChatService } from '../../main/services/chats/chat-service.ts';
import type { PagerSender } from '../../main/services/chats/pager.ts';
import { openStorage } from '../../main/storage/storage.ts';
import type { AccountId } from '#shared/domain/ids.ts';

const file = process.argv[2];
if (file === undefined) throw new Error('usage: commit-crash-child.ts <database>');
const storage = await openStorage(file);
const accountId = 'acc-crash' as AccountId;
await storage.saveAccount({
  id: accountId, aor: 'sip:bob@example.test', displayName: 'Bob', authUser: 'bob', passwordSecret: null, registrar: 'example.test',
  outboundProxy: null, transport: 'udp', port: null, cpim: false, pinnedCertificate: null, enabled: true, createdAt: 1,
});
const sender: PagerSender = { send: () => Promise.resolve({ kind: 'not-registered' }), isCongestionControlled: () => false };
const chats = new ChatService({
  storage,
  sender,
  emit: () => undefined,
  // no overload refusals: the proof is about what was answered 200
  incoming: { maxPending: 1_000_000, maxWaitMs: 1_000_000 },
});

let n = 0;
function burst(): void {
  for (let i = 0; i < 25; i++) {
    n++;
    const body = `crash ${String(n)}`;
    void chats
      .receive(accountId, { from: `sip:peer${String(n % 7)}@example.test`, fromDisplayName: null, contentType: 'text/plain', body: Buffer.from(body), callId: `c${String(n)}`, cseq: 1, date: null, expiresSeconds: null, dialog: null })
      .then((a) => {
        if (a.status === 200) process.stdout.write(`200 ${body}\n`);
      });
  }
  // bounded: the parent kills us long before this
  if (n < 200_000) setImmediate(burst);
}
process.stdout.write('ready\n');
burst();
