/**
 * Typed reads of a node:sqlite result row. A column of the wrong type is a schema/programmer fault and
 * throws; callers never see `unknown` values.
 */
import type { SQLOutputValue } from 'node:sqlite';

export type Row = Record<string, SQLOutputValue>;

function col(row: Row, name: string): SQLOutputValue {
  if (!(name in row)) throw new Error(`row has no column ${name}`);
  return row[name] ?? null;
}

export function text(row: Row, name: string): string {
  const v = col(row, name);
  if (typeof v !== 'string') throw new Error(`column ${name}: expected text, got ${typeof v}`);
  return v;
}

export function textOrNull(row: Row, name: string): string | null {
  const v = col(row, name);
  if (v === null) return null;
  if (typeof v !== 'string') throw new Error(`column ${name}: expected text, got ${typeof v}`);
  return v;
}

export function int(row: Row, name: string): number {
  const v = col(row, name);
  if (typeof v !== 'number') throw new Error(`column ${name}: expected integer, got ${typeof v}`);
  return v;
}

export function intOrNull(row: Row, name: string): number | null {
  const v = col(row, name);
  if (v === null) return null;
  if (typeof v !== 'number') throw new Error(`column ${name}: expected integer, got ${typeof v}`);
  return v;
}

export function bool(row: Row, name: string): boolean {
  return int(row, name) !== 0;
}

export function blobOrNull(row: Row, name: string): Uint8Array | null {
  const v = col(row, name);
  if (v === null) return null;
  if (!(v instanceof Uint8Array)) throw new Error(`column ${name}: expected blob, got ${typeof v}`);
  return v;
}
