import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface CorpusEntry {
  readonly corpus: string;
  readonly name: string;
  readonly file: string;
  readonly size: number;
  readonly sha256: string;
  readonly expectation: 'valid' | 'valid-but-unusual' | 'invalid';
  readonly response: number | null;
  readonly acceptable_responses?: number[];
  readonly transport?: string;
  readonly expect: Record<string, unknown>;
  readonly data: Buffer;
}

const root = fileURLToPath(new URL('../../../fixtures/corpus/', import.meta.url));

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Every message of test/fixtures/corpus/{rfc4475,rfc3428} with its manifest entry. */
export function loadCorpus(): CorpusEntry[] {
  const out: CorpusEntry[] = [];
  for (const corpus of ['rfc4475', 'rfc3428']) {
    const manifest: unknown = JSON.parse(readFileSync(`${root}${corpus}/manifest.json`, 'utf8'));
    if (!isObject(manifest) || !Array.isArray(manifest.messages)) throw new Error(`bad manifest ${corpus}`);
    for (const m of manifest.messages as unknown[]) {
      if (!isObject(m)) throw new Error('bad entry');
      const data = readFileSync(`${root}${corpus}/${String(m.file)}`);
      out.push({ ...(m as unknown as Omit<CorpusEntry, 'corpus' | 'data'>), corpus, data });
    }
  }
  return out;
}

export function sha256(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex');
}
