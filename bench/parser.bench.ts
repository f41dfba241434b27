/**
 * Parser benchmark (`npm run bench:parser`, and part of `npm run bench`): parse + extract
 * (method/status, Call-ID, CSeq, top Via branch, body) on bench/parser-corpus.ts, ours against the
 * npm SIP parsers in the same process, measured fairly by bench/measure.ts (warm-up, interleaved
 * rounds, medians); plus how many of the RFC 4475/3428 invalid messages each one rejects.
 * Last line: `parser: <ours> msgs/s, <ratio>x fastest peer (<name>)`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseMessage, serializeMessage, SipParseError } from '../main/sip/message/index.ts';
import { measure, medianRatio } from './measure.ts';
import type { Contestant } from './measure.ts';
import { benchCorpus } from './parser-corpus.ts';
import { loadPeers } from './parser-peers.ts';
import type { Extracted } from './parser-peers.ts';

const OPTIONS = { rounds: 15, roundMs: 120, warmupMs: 400 };

/** ours: the same extraction as the peer adapters (bench/parser-peers.ts); the body stays bytes, as our API gives it */
function ours(data: Buffer): Extracted {
  const m = parseMessage(data, { datagram: true });
  return {
    start: m.kind === 'request' ? m.method : m.status,
    callId: m.callId,
    cseq: m.cseq,
    branch: m.topVia?.branch,
    body: m.body,
  };
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
  const inputs = benchCorpus.map((c) => c.data);
  for (const d of inputs) ours(d); // throws if our corpus is wrong
  const contestants: Contestant[] = [{ name: 'ours', run: ours }, ...peers.map((p) => ({ name: p.name, run: (d: Buffer) => p.parse(d) }))];
  const parsers: ((d: Buffer) => Extracted | null)[] = [ours, ...peers.map((p) => (d: Buffer) => p.parse(d))];
  const rejected = parsers.map((parse, i) => invalid.filter((d) => rejects(parse, d, i === 0)).length);
  const results = measure(contestants, inputs, OPTIONS);
  const parsed = inputs.map((d) => parseMessage(d));
  let k = 0;
  const ser = measure([{ name: 'serialize', run: () => serializeMessage(parsed[k++ % parsed.length] as (typeof parsed)[number]) }], inputs, { rounds: 3, roundMs: 200, warmupMs: 200 });
  const lines = [
    `corpus: ${inputs.length} messages; RFC 4475/3428 invalid messages: ${invalid.length}; ${OPTIONS.rounds} interleaved rounds of ${OPTIONS.roundMs} ms after ${OPTIONS.warmupMs} ms warm-up, medians`,
  ];
  results.forEach((r, i) => {
    const spread = `${fmt(Math.min(...r.rates))}..${fmt(Math.max(...r.rates))}`;
    lines.push(`${r.name.padEnd(13)} parse+extract ${fmt(r.median).padStart(10)} msgs/s  (rounds ${spread})  rejects ${rejected[i]}/${invalid.length} invalid`);
  });
  lines.push(`ours serialize ${fmt(ser[0]?.median ?? 0)} msgs/s`);
  const [oursResult, ...peerResults] = results;
  if (oursResult === undefined) throw new Error('no result for ours');
  const best = peerResults.reduce((a, b) => (b.median > a.median ? b : a));
  lines.push(`ratio of medians: ${(oursResult.median / best.median).toFixed(2)}x ${best.name}; the last line gives the median over rounds of ours / best peer of that round`);
  lines.push(`parser: ${fmt(oursResult.median)} msgs/s, ${medianRatio(oursResult, peerResults).toFixed(2)}x fastest peer (${best.name})`);
  return lines;
}
