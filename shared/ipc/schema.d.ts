/**
 * A tiny runtime validator for IPC requests: each contract channel declares the shape of its
 * request once; the type is inferred from it and main validates every incoming request with it.
 */
export interface Schema<T> {
    /** returns the validated value, or a string that says what is wrong */
    readonly check: (value: unknown, path: string) => {
        ok: true;
        value: T;
    } | {
        ok: false;
        problem: string;
    };
}
export type Infer<S> = S extends Schema<infer T> ? T : never;
export declare const s: {
    none(): Schema<null>;
    string(opts?: {
        min?: number;
        max?: number;
    }): Schema<string>;
    id<T extends string>(): Schema<T>;
    int(opts?: {
        min?: number;
        max?: number;
    }): Schema<number>;
    boolean(): Schema<boolean>;
    literal<const L extends readonly string[]>(...values: L): Schema<L[number]>;
    nullable<T>(inner: Schema<T>): Schema<T | null>;
    object<F extends Record<string, Schema<unknown>>>(fields: F): Schema<{ readonly [K in keyof F]: Infer<F[K]>; }>;
};
