/** Main → renderer events, typed by the contract. Services emit; the window (or the test host) listens. */
import type { EventMap, EventName } from '#shared/ipc/contract.ts';

export type EventListener = <E extends EventName>(event: E, payload: EventMap[E]) => void;

export type Emit = <E extends EventName>(event: E, payload: EventMap[E]) => void;

export class EventBus {
  readonly #listeners = new Set<EventListener>();

  readonly emit: Emit = (event, payload) => {
    for (const listener of this.#listeners) listener(event, payload);
  };

  /** listens to one event, typed */
  on<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): () => void {
    return this.subscribe((name: EventName, payload: unknown) => {
      if (name === event) listener(payload as EventMap[E]);
    });
  }

  subscribe(listener: EventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
