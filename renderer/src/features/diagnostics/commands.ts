import type { AccountId } from '#shared/domain/ids.ts';
import * as api from '../../bridge/api.ts';
import { TRACE_PAGE } from '../../bridge/initial-load.ts';
import { actions } from '../../store/store.ts';
import { outcome } from '../outcome.ts';

export const reloadTrace = () =>
  outcome(api.listTrace({ accountId: null, callId: null, limit: TRACE_PAGE }), (list) => actions().traceLoaded(list));

/** issue 18: the view opened — its trace now, then live entries until stopWatchingTrace */
export const watchTrace = () =>
  outcome(api.watchTrace({ accountId: null, callId: null, limit: TRACE_PAGE }), (list) => actions().traceLoaded(list));

export const stopWatchingTrace = () => outcome(api.unwatchTrace());

export const sendTestMessage = (accountId: AccountId) => outcome(api.sendTestMessage({ accountId }));

export const loadEdgeCounters = () => outcome(api.edgeCounters());
