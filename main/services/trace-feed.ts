/**
 * The wire trace as the app shows it (issue 18): main always keeps its bounded trace (WireTraceBuffer), but
 * sends `diagnostics:trace-appended` to the renderer only while someone watches — the diagnostics view is
 * open. Emitting every entry to a window that shows none of them cost a structured clone and an IPC send
 * per SIP message, and the renderer's store work on top. A watcher asks for the current trace when it
 * starts (`watch` returns it), then receives live entries until `unwatch` (view closed, window closed or
 * reloaded).
 */
import type { AccountId } from '#shared/domain/ids.ts';
import type { TraceEntryDto } from '#shared/domain/trace.ts';
import type { Emit } from '../ipc/event-bus.ts';
import { WireTraceBuffer } from './sip-stack-trace.ts';

export interface TraceFilter {
  readonly accountId: AccountId | null;
  readonly callId: string | null;
  readonly limit: number;
}

export class TraceFeed {
  readonly buffer: WireTraceBuffer;
  readonly #emit: Emit;
  /** false: never emitted, even while watched (tests that read the trace through list-trace) */
  readonly #enabled: boolean;
  #watching = false;

  constructor(emit: Emit, options: { readonly capacity?: number | undefined; readonly enabled?: boolean | undefined } = {}) {
    this.buffer = new WireTraceBuffer(options.capacity);
    this.#emit = emit;
    this.#enabled = options.enabled !== false;
  }

  get watching(): boolean {
    return this.#watching;
  }

  /** starts the live feed and returns the current trace (newest last), so nothing falls between the two */
  watch(filter: TraceFilter): TraceEntryDto[] {
    this.#watching = true;
    return this.buffer.list(filter);
  }

  unwatch(): void {
    this.#watching = false;
  }

  record(accountId: AccountId | null, event: Parameters<WireTraceBuffer['record']>[1]): void {
    // nobody watching: the message is kept undecoded (decoded when the view opens and lists it)
    if (!(this.#watching && this.#enabled)) {
      this.buffer.add(accountId, event);
      return;
    }
    const entry = this.buffer.record(accountId, event);
    if (entry !== null) this.#appended(entry);
  }

  note(accountId: AccountId | null, at: number, callId: string | null, summary: string): void {
    this.#appended(this.buffer.note(accountId, at, callId, summary));
  }

  #appended(entry: TraceEntryDto): void {
    if (this.#watching && this.#enabled) this.#emit('diagnostics:trace-appended', entry);
  }
}
