/**
 * The headless stack for `npm run bench:stack` (a child process, not a benchmark file): everything the
 * app's main process runs for an incoming pager MESSAGE, without Electron or UI — the UDP transport with
 * its source check and wire trace (as the diagnostics view keeps it), the transaction layer, the UA and
 * dialog layer, the MESSAGE UAS, ChatService.receive with its group commit, and SQLite storage in its
 * worker thread on a file database.
 *
 *   node bench/stack-uas.ts <database file>
 *
 * stdout: `ready <port>` once listening. stdin, one command a line, each answered with one JSON line:
 *   `stats`        → { rss, heapUsed, cpuMicros, stored, batches, largestBatch, refused }
 *   `fill <n>`     → stores messages (same storage path, 1000 a transaction) until the database holds n
 *                    and answers { rss, heapUsed, stored }
 *   `load`         → loads what the app shows at start (conversation list, newest page of the first),
 *                    runs a full GC and answers { rss, heapUsed, stored }
 *   `quit`         → closes and exits
 */
import { createInterface } from 'node:readline';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { AccountId } from '#shared/domain/ids.ts';
import { ChatService } from '../main/services/chats/chat-service.ts';
import { toIncomingPagerMessage, toMessageAnswer } from '../main/services/sip-stack-pager.ts';
import { TraceFeed } from '../main/services/trace-feed.ts';
import { DialogLayer } from '../main/sip/dialog/index.ts';
import { attachDialogLayer } from '../main/sip/dialog/user-agent-adapter.ts';
import { systemClock } from '../main/sip/transaction/index.ts';
import { SipTransportLayer, SourceGuard } from '../main/sip/transport/index.ts';
import { answerMessage, UserAgent } from '../main/sip/ua/index.ts';
import type { IncomingBatchItem } from '../main/storage/incoming-batch.ts';
import { openStorage } from '../main/storage/storage.ts';

const file = process.argv[2];
if (file === undefined) throw new Error('usage: stack-uas.ts <database file>');

setFlagsFromString('--expose-gc');
const fullGc = runInNewContext('gc') as () => void;

const storage = await openStorage(file);
const accountId = 'bench-bob' as AccountId;
await storage.saveAccount({
  id: accountId, aor: 'sip:bob@127.0.0.1', displayName: 'Bob', authUser: 'bob', passwordSecret: null, registrar: '127.0.0.1',
  outboundProxy: null, transport: 'udp', port: null, cpim: false, pinnedCertificate: null, enabled: true, createdAt: Date.now(),
});
const chats = new ChatService({
  storage,
  sender: { send: () => Promise.resolve({ kind: 'not-registered' }), isCongestionControlled: () => false },
  emit: () => undefined,
  onError: (m, e) => process.stderr.write(`${m}: ${String(e)}\n`),
});

// the app's trace with the diagnostics view closed: every message kept, none sent to a window
const trace = new TraceFeed(() => undefined);
// the PBX path is on loopback here: sipp (and Kamailio) send from 127.0.0.1, as a registrar would
const layer = await SipTransportLayer.create({
  sourceGuard: new SourceGuard({ trusted: ['127.0.0.1'] }),
  clock: systemClock,
  listen: [{ protocol: 'udp', address: '127.0.0.1', port: 0 }],
  onTrace: (e) => trace.record(accountId, e),
});
const ua = new UserAgent({ transport: layer, clock: systemClock, aor: 'sip:bob@127.0.0.1', authUser: 'bob', password: 'x', outboundProxy: null, transportProtocol: 'udp' });
const dialogs = new DialogLayer({ onIncomingInvite: () => undefined });
attachDialogLayer(ua, dialogs, (request, tx, inbound) =>
  void answerMessage(request, tx, inbound, (incoming) => chats.receive(accountId, toIncomingPagerMessage(incoming)).then(toMessageAnswer)),
);

async function storedCount(): Promise<number> {
  let n = 0;
  for (const c of await storage.listConversations()) n += (await storage.pageMessages(c.id, null, 1)).total;
  return n;
}

async function fill(target: number): Promise<void> {
  let have = await storedCount();
  let seq = 0;
  while (have < target) {
    const n = Math.min(1000, target - have);
    const items: IncomingBatchItem[] = [];
    for (let i = 0; i < n; i++) {
      seq++;
      items.push({
        accountId, peer: `sip:peer${String(seq % 50)}@example.test`, senderName: null,
        body: `stored message ${String(seq)}: the quick brown fox jumps over the lazy dog`, contentType: 'text/plain',
        createdAt: Date.now(), expiresAt: null, dialogId: null, sipCallId: `fill-${String(seq)}-${String(Date.now())}`, cseq: 1,
        cpimMessageId: null, state: 'received', dateHeader: null, read: true,
      });
    }
    const r = await storage.storeIncomingBatch(items);
    have += r.outcomes.filter((o) => o.kind === 'inserted').length;
  }
}

/** what the app loads at start: the conversation list and the newest page of the first conversation */
async function load(): Promise<void> {
  const list = await storage.listConversations();
  if (list[0] !== undefined) await storage.pageMessages(list[0].id, null, 50);
}

function memory() {
  const m = process.memoryUsage();
  const cpu = process.cpuUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, cpuMicros: cpu.user + cpu.system };
}

const port = layer.listening()[0]?.port ?? 0;
process.stdout.write(`ready ${String(port)}\n`);

for await (const line of createInterface({ input: process.stdin })) {
  const [cmd, arg] = line.trim().split(/\s+/);
  if (cmd === 'stats') {
    process.stdout.write(`${JSON.stringify({ ...memory(), stored: await storedCount(), ...chats.incomingStats })}\n`);
  } else if (cmd === 'fill') {
    await fill(Number(arg));
    process.stdout.write(`${JSON.stringify({ ...memory(), stored: await storedCount() })}\n`);
  } else if (cmd === 'load') {
    await load();
    fullGc();
    fullGc();
    process.stdout.write(`${JSON.stringify({ ...memory(), stored: await storedCount() })}\n`);
  } else if (cmd === 'quit') {
    break;
  }
}
ua.close();
await layer.close();
await storage.close();
process.exit(0);
