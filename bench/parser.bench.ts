/**
 * Parser benchmark (`npm run bench:parser`, and part of `npm run bench`): parse + the full result
 * (bench/parser-peers.ts: method/status, R-URI, top Via branch and sent-by, From/To URI and tag,
 * Call-ID, CSeq, Contact URI, Content-Type, Content-Length, body as a UTF-8 string) per corpus —
 * real traffic captured from Kamailio, baresip, sipp and linphonec, our own captured messages, and the
 * hand-written bench/parser-corpus.ts — ours against the npm SIP parsers in the same process,
 * measured by bench/measure.ts; plus how many RFC 4475/3428 invalid messages each one rejects.
 * Last line: `parser: <geomean ratio>x fastest peer (geometric mean over <n> corpora)`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseMessage, SipParseError } from '../main/sip/message/index.ts';
import { measure, medianRatio } from './measure.ts';
import type { Contestant } from './measure.ts';
import { benchCorpus, capturedCorpora } from './parser-corpus.ts';
import { loadPeers } from './parser-peers.ts';
import type { Extracted } from './parser-peers.ts';

const OPTIONS = { rounds: 9, roundMs: 80, warmupMs: 200 };
/**
 * Before the first corpus every contestant parses every corpus message for this long (the same for
 * all): the JIT's compile threads count in the process's CPU time, and on a loaded 2-core machine
 * they finished only during the first corpus, which then measured compilation (ours 0.75-0.93x on
 * whichever corpus came first, 1.3-1.5x on the same corpus later in the run).
 */
const GLOBAL_WARMUP_MS = 800;

/** ours: the same full result as the peer adapters (bench/parser-peers.ts), body decoded as UTF-8 */
function ours(data: Buffer): Extracted {
  const m = parseMessage(data, { datagram: true });
  const via = m.topVia;
  const contact = m.contact;
  const cseq = m.cseq;
  return {
    start: m.kind === 'request' ? m.method : m.status,
    ruri: m.kind === 'request' ? m.uri : undefined,
    branch: via?.branch,
    sentBy: via === null ? undefined : `${via.host}:${via.port ?? ''}`,
    fromUri: m.from.uri,
    fromTag: m.fromTag,
    toUri: m.to.uri,
    toTag: m.toTag,
    callId: m.callId,
    cseqNumber: cseq.seq,
    cseqMethod: cseq.method,
    contactUri: contact === '*' ? '*' : contact[0]?.uri,
    contentType: m.contentType,
    contentLength: m.contentLength,
    body: m.body.toString('utf8'),
  };
}

/** the fields a contestant left empty on a corpus where ours filled them (an adapter that skips work is unfair) */
function missing(parse: (d: Buffer) => Extracted | null, inputs: readonly Buffer[]): string[] {
  const out = new Set<string>();
  for (const d of inputs) {
    const want = ours(d) as unknown as Record<string, unknown>;
    let got: Record<string, unknown> | null;
    try {
      got = parse(d) as unknown as Record<string, unknown> | null;
    } catch {
      got = null;
    }
    for (const [k, v] of Object.entries(want)) if (v !== undefined && v !== null && (got?.[k] === undefined || got[k] === null)) out.add(k);
  }
  return [...out];
}

function invalidCorpus(): Buffer[] {
  const root = fileURLToPath(new URL('../test/fixtures/corpus/', import.meta.url));
  const out: Buffer[] = [];
  for (const dir of readdirSync(root, { withFileTypes: true })) {
    if (!dir.isDirectory()) continue;
    const manifest = JSON.parse(readFileSync(`${root}${dir.name}/manifest.json`, 'utf8')) as { messages: { file: string; expectation: string }[] };
    for (const m of manifest.messages) if (m.expectation === 'invalid') out.push(readFileSync(`${root}${dir.name}/${m.file}`));
  }
  return out;
}

/** rejected = threw (ours: only SipParseError counts) or returned null */
function rejects(parse: (d: Buffer) => Extracted | null, data: Buffer, strict: boolean): boolean {
  try {
    return parse(data) === null;
  } catch (e) {
    if (strict && !(e instanceof SipParseError)) throw e;
    return true;
  }
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

export async function run(): Promise<string[]> {
  const peers = await loadPeers();
  const invalid = invalidCorpus();
  const corpora = [...capturedCorpora(), { name: 'hand-written', messages: benchCorpus.map((c) => c.data) }];
  for (const c of corpora) for (const d of c.messages) ours(d); // throws if a corpus message is not accepted
  const contestants: Contestant[] = [{ name: 'ours', run: ours }, ...peers.map((p) => ({ name: p.name, run: (d: Buffer) => p.parse(d) }))];
  const parsers: ((d: Buffer) => Extracted | null)[] = [ours, ...peers.map((p) => (d: Buffer) => p.parse(d))];
  const rejected = parsers.map((parse, i) => invalid.filter((d) => rejects(parse, d, i === 0)).length);
  measure(contestants, corpora.flatMap((c) => c.messages), { rounds: 0, roundMs: 0, warmupMs: GLOBAL_WARMUP_MS });
  const lines = [
    `${corpora.length} corpora, ${corpora.reduce((n, c) => n + c.messages.length, 0)} messages; full result per message; ${GLOBAL_WARMUP_MS} ms warm-up on all corpora, then per corpus ${OPTIONS.warmupMs} ms warm-up and ${OPTIONS.rounds} interleaved rounds of ${OPTIONS.roundMs} ms, medians in msgs per CPU-second`,
    `rejects of the ${invalid.length} RFC 4475/3428 invalid messages: ${contestants.map((c, i) => `${c.name} ${rejected[i]}`).join(', ')}`,
  ];
  const ratios: number[] = [];
  for (const c of corpora) {
    const results = measure(contestants, c.messages, OPTIONS);
    const [oursResult, ...peerResults] = results;
    if (oursResult === undefined) throw new Error('no result for ours');
    const best = peerResults.reduce((a, b) => (b.median > a.median ? b : a));
    const ratio = medianRatio(oursResult, peerResults);
    ratios.push(ratio);
    const gaps = peers.map((p) => ({ name: p.name, fields: missing((d) => p.parse(d), c.messages) })).filter((g) => g.fields.length > 0);
    lines.push(
      `${c.name} (${c.messages.length} msgs): ${results.map((r) => `${r.name} ${fmt(r.median)}`).join(', ')}; ours ${ratio.toFixed(2)}x ${best.name}` +
        (gaps.length > 0 ? `; fields a peer could not give: ${gaps.map((g) => `${g.name} [${g.fields.join(' ')}]`).join(', ')}` : ''),
    );
  }
  const geomean = Math.exp(ratios.reduce((a, r) => a + Math.log(r), 0) / ratios.length);
  lines.push(`parser: ${geomean.toFixed(2)}x fastest peer (geometric mean over ${ratios.length} corpora of ours / best peer per round)`);
  return lines;
}
