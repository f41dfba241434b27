/**
 * A tiny runtime validator for IPC requests: each contract channel declares the shape of its
 * request once; the type is inferred from it and main validates every incoming request with it.
 */
export interface Schema<T> {
  /** returns the validated value, or a string that says what is wrong */
  readonly check: (value: unknown, path: string) => { ok: true; value: T } | { ok: false; problem: string };
}

export type Infer<S> = S extends Schema<infer T> ? T : never;

const pass = <T>(value: T) => ({ ok: true as const, value });
const fail = (problem: string) => ({ ok: false as const, problem });

export const s = {
  none(): Schema<null> {
    return { check: (v, p) => (v === null || v === undefined ? pass(null) : fail(`${p}: expected nothing`)) };
  },
  string(opts: { min?: number; max?: number } = {}): Schema<string> {
    const max = opts.max ?? 1_000_000;
    const min = opts.min ?? 0;
    return {
      check: (v, p) =>
        typeof v !== 'string'
          ? fail(`${p}: expected a string`)
          : v.length < min || v.length > max
            ? fail(`${p}: length must be ${min}..${max}`)
            : pass(v),
    };
  },
  id<T extends string>(): Schema<T> {
    return {
      check: (v, p) =>
        typeof v === 'string' && v.length > 0 && v.length <= 200 ? pass(v as T) : fail(`${p}: expected an id`),
    };
  },
  int(opts: { min?: number; max?: number } = {}): Schema<number> {
    const min = opts.min ?? Number.MIN_SAFE_INTEGER;
    const max = opts.max ?? Number.MAX_SAFE_INTEGER;
    return {
      check: (v, p) =>
        typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max
          ? pass(v)
          : fail(`${p}: expected an integer ${min}..${max}`),
    };
  },
  boolean(): Schema<boolean> {
    return { check: (v, p) => (typeof v === 'boolean' ? pass(v) : fail(`${p}: expected true or false`)) };
  },
  literal<const L extends readonly string[]>(...values: L): Schema<L[number]> {
    return {
      check: (v, p) =>
        typeof v === 'string' && values.includes(v) ? pass(v as L[number]) : fail(`${p}: expected one of ${values.join(', ')}`),
    };
  },
  /** an array of at most `max` elements, each checked by `inner` */
  array<T>(inner: Schema<T>, opts: { max: number }): Schema<readonly T[]> {
    return {
      check: (v, p) => {
        if (!Array.isArray(v)) return fail(`${p}: expected a list`);
        if (v.length > opts.max) return fail(`${p}: at most ${opts.max} elements`);
        const out: T[] = [];
        for (let i = 0; i < v.length; i++) {
          const r = inner.check(v[i], `${p}[${i}]`);
          if (!r.ok) return r;
          out.push(r.value);
        }
        return pass(out as readonly T[]);
      },
    };
  },
  /** absent (undefined) passes as undefined; anything else must match */
  optional<T>(inner: Schema<T>): Schema<T | undefined> {
    return { check: (v, p) => (v === undefined ? pass(undefined) : inner.check(v, p)) };
  },
  nullable<T>(inner: Schema<T>): Schema<T | null> {
    return { check: (v, p) => (v === null || v === undefined ? pass(null) : inner.check(v, p)) };
  },
  object<F extends Record<string, Schema<unknown>>>(fields: F): Schema<{ readonly [K in keyof F]: Infer<F[K]> }> {
    return {
      check: (v, p) => {
        if (typeof v !== 'object' || v === null || Array.isArray(v)) return fail(`${p}: expected an object`);
        const out: Record<string, unknown> = {};
        for (const [key, schema] of Object.entries(fields)) {
          const r = schema.check((v as Record<string, unknown>)[key], `${p}.${key}`);
          if (!r.ok) return r;
          out[key] = r.value;
        }
        for (const key of Object.keys(v)) if (!(key in fields)) return fail(`${p}.${key}: unexpected field`);
        return pass(out as { readonly [K in keyof F]: Infer<F[K]> });
      },
    };
  },
};
