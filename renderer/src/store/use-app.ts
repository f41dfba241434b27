import { useStore } from 'zustand';
import { appStore, type AppState } from './store.ts';

/** React hook over the one store; pass an atomic selector (or wrap derived lists in useShallow). */
export function useApp<T>(selector: (state: AppState) => T): T {
  return useStore(appStore, selector);
}
