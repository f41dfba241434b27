/**
 * Frames of the renderer test host's WebSocket: the same contract as Electron IPC, another transport.
 * browser → host: {id, channel, request}; host → browser: {id, result} or {event, payload}.
 */
import type { Result } from '#shared/ipc/result.ts';

export const IPC_PATH = '/ipc';

export interface RequestFrame {
  readonly id: number;
  readonly channel: string;
  readonly request: unknown;
}
export interface ReplyFrame {
  readonly id: number;
  readonly result: Result<unknown>;
}
export interface EventFrame {
  readonly event: string;
  readonly payload: unknown;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export function parseRequestFrame(text: string): RequestFrame | null {
  const v = parse(text);
  if (!isRecord(v) || typeof v.id !== 'number' || !Number.isSafeInteger(v.id) || typeof v.channel !== 'string') return null;
  return { id: v.id, channel: v.channel, request: v.request ?? null };
}

export function parseHostFrame(text: string): ReplyFrame | EventFrame | null {
  const v = parse(text);
  if (!isRecord(v)) return null;
  if (typeof v.id === 'number' && isRecord(v.result) && typeof v.result.ok === 'boolean') {
    return { id: v.id, result: v.result as unknown as Result<unknown> };
  }
  if (typeof v.event === 'string') return { event: v.event, payload: v.payload };
  return null;
}
