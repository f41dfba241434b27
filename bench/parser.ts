/**
 * `npm run bench:parser`: parse + extract (method/status, Call-ID, CSeq, top Via branch, body) and
 * serialize throughput on a realistic corpus, ours against the npm SIP parsers in the same run,
 * plus how many of the RFC 4475/3428 invalid messages each one rejects.
 * Last line: `parser: <ours> msgs/s, <ratio>x fastest peer (<name>)`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseMessage, serializeMessage, SipParseError } from '../main/sip/message/index.ts';
import { benchCorpus } from './parser-corpus.ts';
import { loadPeers } from './parser-peers.ts';
import type { Extracted, Peer } from './parser-peers.ts';

const MEASURE_MS = 1500;
const WARMUP_MS = 400;
let sink = 0;

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

/** msgs/s of fn over the corpus, time-boxed */
function rate(fn: (d: Buffer) => unknown): number {
  const data = benchCorpus.map((c) => c.data);
  const run = (ms: number): number => {
    const end = performance.now() + ms;
    let n = 0;
    const t0 = performance.now();
    while (performance.now() < end) {
      for (let i = 0; i < data.length; i++) {
        const r = fn(data[i] as Buffer);
        if (r) sink++;
      }
      n += data.length;
    }
    return (n * 1000) / (performance.now() - t0);
  };
  run(WARMUP_MS);
  return run(MEASURE_MS);
}

interface Invalid {
  readonly name: string;
  readonly data: Buffer;
}

function invalidCorpus(): Invalid[] {
  const root = fileURLToPath(new URL('../test/fixtures/corpus/', import.meta.url));
  const out: Invalid[] = [];
  for (const dir of readdirSync(root, { withFileTypes: true })) {
    if (!dir.isDirectory()) continue;
    const manifest = JSON.parse(readFileSync(`${root}${dir.name}/manifest.json`, 'utf8')) as { messages: { file: string; name: string; expectation: string }[] };
    for (const m of manifest.messages) {
      if (m.expectation === 'invalid') out.push({ name: m.name, data: readFileSync(`${root}${dir.name}/${m.file}`) });
    }
  }
  return out;
}

function rejects(parse: (d: Buffer) => Extracted | null, data: Buffer): boolean {
  try {
    return parse(data) === null;
  } catch {
    return true;
  }
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

async function main(): Promise<void> {
  const peers: Peer[] = await loadPeers();
  const invalid = invalidCorpus();
  for (const c of benchCorpus) ours(c.data); // throws if our corpus is wrong
  let oursRejects = 0;
  for (const m of invalid) {
    try {
      parseMessage(m.data, { datagram: true });
    } catch (e) {
      if (e instanceof SipParseError) oursRejects++;
      else throw e;
    }
  }
  console.log(`corpus: ${benchCorpus.length} messages; RFC 4475/3428 invalid messages: ${invalid.length}`);
  const oursParse = rate(ours);
  const parsed = benchCorpus.map((c) => parseMessage(c.data));
  let k = 0;
  const oursSerialize = rate(() => serializeMessage(parsed[k++ % parsed.length] as (typeof parsed)[number]));
  console.log(`ours          parse+extract ${fmt(oursParse).padStart(10)} msgs/s  serialize ${fmt(oursSerialize).padStart(10)} msgs/s  rejects ${oursRejects}/${invalid.length} invalid`);
  let best = { name: '', rate: 0 };
  for (const p of peers) {
    const r = rate((d) => p.parse(d));
    const s = p.serialize ? rate((d) => p.serialize?.(d)) : null;
    const rej = invalid.filter((m) => rejects((d) => p.parse(d), m.data)).length;
    const ser = s === null ? 'n/a'.padStart(10) : `${fmt(s).padStart(10)}`;
    console.log(`${p.name.padEnd(13)} parse+extract ${fmt(r).padStart(10)} msgs/s  parse+serialize ${ser} msgs/s  rejects ${rej}/${invalid.length} invalid`);
    if (r > best.rate) best = { name: p.name, rate: r };
  }
  if (sink < 0) console.log(sink);
  console.log(`parser: ${fmt(oursParse)} msgs/s, ${(oursParse / best.rate).toFixed(2)}x fastest peer (${best.name})`);
}

await main();
