/** Imported by wasm-probe.ts: a second module of the graph, with a type to strip. */
export const PROBE_NAME: string = 'probe';
